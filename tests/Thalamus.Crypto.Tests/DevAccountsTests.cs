using Thalamus.Core;
using Xunit;

namespace Thalamus.Crypto.Tests;

public class DevAccountsTests
{
    // anvil's and Hardhat's default accounts for "test test … junk" (as both print them at start).
    public static TheoryData<int, string, string> AnvilDefaults => new()
    {
        { 0, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" },
        { 1, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d" },
        { 2, "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a" },
        { 3, "0x90F79bf6EB2c4f870365E785982E1f101E93b906", "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6" },
        { 4, "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65", "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a" },
        { 5, "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc", "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba" },
        { 6, "0x976EA74026E726554dB657fA54763abd0C3a0aa9", "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e" },
        { 7, "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955", "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356" },
        { 8, "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f", "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97" },
        { 9, "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720", "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6" },
    };

    private static readonly IReadOnlyList<DevAccount> Defaults = DevAccounts.Derive();

    [Theory]
    [MemberData(nameof(AnvilDefaults))]
    public void Default_accounts_match_anvil_and_hardhat(int index, string address, string privateKey)
    {
        DevAccount account = Defaults[index];
        Assert.Equal(index, account.Index);
        Assert.Equal(address, account.Address.ToChecksumString());
        Assert.Equal(privateKey, account.PrivateKeyHex);
        Assert.Equal(Secp256k1.PrivateKeyToAddress(account.PrivateKey), account.Address);
    }

    [Fact]
    public void Default_count_is_ten()
    {
        Assert.Equal(10, Defaults.Count);
        Assert.Equal(10, Defaults.Select(a => a.Address).Distinct().Count());
    }

    [Fact]
    public void Count_selects_a_prefix()
    {
        var three = DevAccounts.Derive(count: 3);
        Assert.Equal(3, three.Count);
        for (int i = 0; i < 3; i++)
            Assert.Equal(Defaults[i].PrivateKey, three[i].PrivateKey);
        Assert.Empty(DevAccounts.Derive(count: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DevAccounts.Derive(count: -1));
    }

    [Fact]
    public void Accounts_follow_the_bip44_path()
    {
        byte[] seed = Mnemonic.ToSeed(DevAccounts.DefaultMnemonic);
        var key = HdKeyDerivation.DerivePath(seed, "m/44'/60'/0'/0/4");
        Assert.Equal(Defaults[4].PrivateKey, key.PrivateKey);
    }

    [Fact]
    public void Another_mnemonic_gives_other_accounts()
    {
        var other = DevAccounts.Derive("legal winner thank year wave sausage worth useful legal winner thank yellow", 1);
        Assert.NotEqual(Defaults[0].Address, other[0].Address);
    }

    [Fact]
    public void Passphrase_gives_other_accounts()
    {
        var other = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 1, "secret");
        Assert.NotEqual(Defaults[0].Address, other[0].Address);
    }

    [Theory]
    [InlineData("test test test test test test test test test test test test", "checksum")]
    [InlineData("test test test test test test test test test test test jnuk", "\"jnuk\"")]
    [InlineData("test test junk", "12, 15, 18, 21 or 24 words")]
    [InlineData("", "has 0")]
    public void Bad_mnemonic_gives_a_clear_error(string mnemonic, string expectedInMessage)
    {
        var error = Assert.Throws<MnemonicException>(() => DevAccounts.Derive(mnemonic));
        Assert.Contains(expectedInMessage, error.Message);
    }

    [Fact]
    public void ToString_does_not_print_the_private_key()
    {
        string text = Defaults[0].ToString();
        Assert.Contains("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", text);
        Assert.DoesNotContain("ac0974bec39a17e3", text);
    }
}
