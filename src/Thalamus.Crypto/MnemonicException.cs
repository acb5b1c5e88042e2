namespace Thalamus.Crypto;

/// <summary>A BIP-39 mnemonic that is not valid: wrong word count, a word outside the list, or a bad checksum.</summary>
public sealed class MnemonicException : FormatException
{
    public MnemonicException(string message) : base(message)
    {
    }
}
