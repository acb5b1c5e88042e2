namespace Thalamus.Dlx;

/// <summary>A chained submission that does not reassemble: tampered, reordered, missing or malformed chunks.</summary>
public sealed class DlxChunkException(string message) : Exception(message);
