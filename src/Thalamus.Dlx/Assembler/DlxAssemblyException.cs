namespace Thalamus.Dlx;

/// <summary>Assembly failed; <see cref="Errors"/> lists every error found (in source order).</summary>
public sealed class DlxAssemblyException(IReadOnlyList<DlxAssemblyError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<DlxAssemblyError> Errors { get; } = errors;
}
