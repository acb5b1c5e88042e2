namespace Thalamus.Dlx;

/// <summary>A program image that is malformed or not loadable.</summary>
public sealed class DlxImageException(string message) : Exception(message);
