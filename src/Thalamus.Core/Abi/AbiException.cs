namespace Thalamus.Core;

/// <summary>ABI-encoded data that does not decode as the expected types; the message says where and why.</summary>
public sealed class AbiException(string message) : FormatException(message);
