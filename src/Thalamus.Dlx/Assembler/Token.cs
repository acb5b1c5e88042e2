namespace Thalamus.Dlx;

/// <summary>A lexical token of one source line; <see cref="Column"/> is 1-based.</summary>
internal sealed record Token(TokenKind Kind, string Text, int Column)
{
    public long Integer { get; init; }

    public double Float { get; init; }

    public byte[] Bytes { get; init; } = [];
}
