namespace Thalamus.Dlx;

/// <summary>Internal: an error at a column of the line being processed (collected into <see cref="DlxAssemblyError"/>s).</summary>
internal sealed class SourceException(int column, string message) : Exception(message)
{
    public int Column { get; } = column;
}
