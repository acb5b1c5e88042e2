namespace Thalamus.Crypto;

/// <summary>
/// Development accounts as anvil and Hardhat derive them: BIP-39 seed of a mnemonic, then
/// BIP-32 keys at m/44'/60'/0'/0/i. The default mnemonic gives their well-known defaults
/// (account 0 = 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266).
/// </summary>
public static class DevAccounts
{
    /// <summary>The well-known test mnemonic anvil and Hardhat use by default.</summary>
    public const string DefaultMnemonic = "test test test test test test test test test test test junk";

    /// <summary>The BIP-44 Ethereum account path; account i is this path followed by /i.</summary>
    public const string DefaultDerivationPath = "m/44'/60'/0'/0";

    /// <summary>
    /// Derives <paramref name="count"/> accounts (indexes 0..count-1). Throws
    /// <see cref="MnemonicException"/> with the reason if the mnemonic is not valid BIP-39.
    /// </summary>
    public static IReadOnlyList<DevAccount> Derive(string mnemonic = DefaultMnemonic, int count = 10, string passphrase = "")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);

        byte[] seed = Mnemonic.ToSeed(mnemonic, passphrase);
        HdKeyDerivation.ExtendedKey parent = HdKeyDerivation.DerivePath(seed, DefaultDerivationPath);
        Array.Clear(seed);

        var accounts = new DevAccount[count];
        for (int i = 0; i < count; i++)
        {
            HdKeyDerivation.ExtendedKey key = parent.Derive((uint)i);
            accounts[i] = new DevAccount(i, key.PrivateKey, key.Address);
        }
        return accounts;
    }
}
