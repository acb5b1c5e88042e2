namespace Thalamus.Dlx;

/// <summary>One assembler error at a 1-based line and column.</summary>
public sealed record DlxAssemblyError(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: error: {Message}";
}
