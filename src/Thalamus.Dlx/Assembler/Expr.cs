namespace Thalamus.Dlx;

/// <summary>An assembler expression: numbers, labels, unary - ~ +, binary * / % + - &lt;&lt; &gt;&gt; &amp; ^ |, parentheses.</summary>
internal abstract record Expr(int Column)
{
    /// <summary>Evaluates with 64-bit arithmetic; <paramref name="resolve"/> gives a label's address or null if undefined.</summary>
    public abstract long Evaluate(Func<string, long?> resolve);

    /// <summary>True if the expression refers to no label (its value is known before layout).</summary>
    public abstract bool IsConstant { get; }

    public static Expr Parse(IReadOnlyList<Token> tokens, int fallbackColumn)
    {
        if (tokens.Count == 0) throw new SourceException(fallbackColumn, "missing operand");
        int at = 0;
        var expr = ParseBinary(tokens, ref at, 0);
        if (at != tokens.Count) throw new SourceException(tokens[at].Column, $"unexpected '{tokens[at].Text}' in expression");
        return expr;
    }

    private static readonly string[][] Levels = [["|"], ["^"], ["&"], ["<<", ">>"], ["+", "-"], ["*", "/", "%"]];

    private static Expr ParseBinary(IReadOnlyList<Token> t, ref int at, int level)
    {
        if (level == Levels.Length) return ParseUnary(t, ref at);
        var left = ParseBinary(t, ref at, level + 1);
        while (at < t.Count && t[at].Kind == TokenKind.Operator && Levels[level].Contains(t[at].Text))
        {
            var op = t[at++];
            var right = ParseBinary(t, ref at, level + 1);
            left = new BinaryExpr(op.Column, op.Text, left, right);
        }
        return left;
    }

    private static Expr ParseUnary(IReadOnlyList<Token> t, ref int at)
    {
        if (at >= t.Count) throw new SourceException(t[^1].Column + t[^1].Text.Length, "expression ends too early");
        var token = t[at];
        if (token.Kind == TokenKind.Operator && token.Text is "-" or "~" or "+")
        {
            at++;
            return new UnaryExpr(token.Column, token.Text, ParseUnary(t, ref at));
        }
        if (token.Kind == TokenKind.LeftParen)
        {
            at++;
            var inner = ParseBinary(t, ref at, 0);
            if (at >= t.Count || t[at].Kind != TokenKind.RightParen) throw new SourceException(token.Column, "missing ')'");
            at++;
            return inner;
        }
        at++;
        return token.Kind switch
        {
            TokenKind.Integer => new NumberExpr(token.Column, token.Integer),
            TokenKind.Identifier => new SymbolExpr(token.Column, token.Text),
            TokenKind.Float => throw new SourceException(token.Column, $"'{token.Text}' is a floating-point number; only .float and .double take those"),
            _ => throw new SourceException(token.Column, $"unexpected '{token.Text}' in expression"),
        };
    }
}

internal sealed record NumberExpr(int Column, long Value) : Expr(Column)
{
    public override long Evaluate(Func<string, long?> resolve) => Value;

    public override bool IsConstant => true;
}

internal sealed record SymbolExpr(int Column, string Name) : Expr(Column)
{
    public override long Evaluate(Func<string, long?> resolve) =>
        resolve(Name) ?? throw new SourceException(Column, $"undefined label '{Name}'");

    public override bool IsConstant => false;
}

internal sealed record UnaryExpr(int Column, string Op, Expr Operand) : Expr(Column)
{
    public override long Evaluate(Func<string, long?> resolve)
    {
        long v = Operand.Evaluate(resolve);
        return Op switch { "-" => -v, "~" => ~v, _ => v };
    }

    public override bool IsConstant => Operand.IsConstant;
}

internal sealed record BinaryExpr(int Column, string Op, Expr Left, Expr Right) : Expr(Column)
{
    public override long Evaluate(Func<string, long?> resolve)
    {
        long a = Left.Evaluate(resolve), b = Right.Evaluate(resolve);
        return Op switch
        {
            "+" => a + b,
            "-" => a - b,
            "*" => a * b,
            "/" => b == 0 ? throw new SourceException(Column, "division by zero in expression") : a / b,
            "%" => b == 0 ? throw new SourceException(Column, "division by zero in expression") : a % b,
            "<<" => b is < 0 or > 63 ? throw new SourceException(Column, "shift out of range 0..63") : a << (int)b,
            ">>" => b is < 0 or > 63 ? throw new SourceException(Column, "shift out of range 0..63") : a >> (int)b,
            "&" => a & b,
            "^" => a ^ b,
            "|" => a | b,
            _ => throw new SourceException(Column, $"unknown operator '{Op}'"),
        };
    }

    public override bool IsConstant => Left.IsConstant && Right.IsConstant;
}
