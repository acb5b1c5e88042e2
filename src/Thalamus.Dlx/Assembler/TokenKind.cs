namespace Thalamus.Dlx;

internal enum TokenKind : byte
{
    Identifier,
    Integer,
    Float,
    String,
    Comma,
    Colon,
    LeftParen,
    RightParen,
    Operator,
}
