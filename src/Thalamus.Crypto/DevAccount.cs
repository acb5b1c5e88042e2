using Thalamus.Core;

namespace Thalamus.Crypto;

/// <summary>
/// One development account derived from a mnemonic: its index i on the path m/44'/60'/0'/0/i,
/// its 32-byte private key and its address.
/// </summary>
public sealed record DevAccount(int Index, byte[] PrivateKey, Address Address)
{
    /// <summary>The private key as 0x-prefixed lowercase hex, as anvil and Hardhat print it.</summary>
    public string PrivateKeyHex => Hex.Encode(PrivateKey);

    /// <summary>Never prints the private key.</summary>
    public override string ToString() => $"DevAccount {{ Index = {Index}, Address = {Address.ToChecksumString()} }}";
}
