namespace Thalamus.Dlx;

/// <summary>A serialized machine state that is malformed or not canonical.</summary>
public sealed class DlxStateException(string message) : Exception(message);
