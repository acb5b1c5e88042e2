namespace Thalamus.Core;

/// <summary>Malformed or non-canonical RLP: truncated data, non-minimal lengths, wrong item kinds, trailing bytes.</summary>
public sealed class RlpException : Exception
{
    public RlpException(string message)
        : base(message)
    {
    }

    public RlpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
