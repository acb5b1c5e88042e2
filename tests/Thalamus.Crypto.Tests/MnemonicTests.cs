using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Xunit;

namespace Thalamus.Crypto.Tests;

public class MnemonicTests
{
    // The BIP-39 reference vectors (English, passphrase "TREZOR"): entropy, mnemonic, seed.
    [Theory]
    [InlineData("00000000000000000000000000000000",
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
        "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04")]
    [InlineData("7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f",
        "legal winner thank year wave sausage worth useful legal winner thank yellow",
        "2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6fa457fe1296106559a3c80937a1c1069be3a3a5bd381ee6260e8d9739fce1f607")]
    [InlineData("808080808080808080808080808080808080808080808080",
        "letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter always",
        "107d7c02a5aa6f38c58083ff74f04c607c2d2c0ecc55501dadd72d025b751bc27fe913ffb796f841c49b1d33b610cf0e91d3aa239027f5e99fe4ce9e5088cd65")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote",
        "dd48c104698c30cfe2b6142103248622fb7bb0ff692eebb00089b32d22484e1613912f0a5b694407be899ffd31ed3992c456cdf60f5d4564b8ba3f05a69890ad")]
    public void Reference_vectors(string entropyHex, string mnemonic, string seedHex)
    {
        byte[] entropy = Hex.Decode(entropyHex);
        Assert.Equal(mnemonic, Mnemonic.FromEntropy(entropy));
        Assert.Equal(entropy, Mnemonic.ToEntropy(mnemonic));
        Assert.True(Mnemonic.IsValid(mnemonic));
        Assert.Equal(seedHex, Hex.Encode(Mnemonic.ToSeed(mnemonic, "TREZOR"), prefix: false));
    }

    [Fact]
    public void Empty_passphrase_seed_of_the_test_mnemonic()
    {
        // ethers.js 6: Mnemonic.fromPhrase("test … junk").computeSeed().
        Assert.Equal(
            "0x9dfc3c64c2f8bede1533b6a79f8570e5943e0b8fd1cf77107adf7b72cef42185d564a3aee24cab43f80e3c4538087d70fc824eabbad596a23c97b6ee8322ccc0",
            Hex.Encode(Mnemonic.ToSeed(DevAccounts.DefaultMnemonic)));
    }

    [Fact]
    public void Extra_whitespace_does_not_change_the_seed()
    {
        string canonical = DevAccounts.DefaultMnemonic;
        string messy = "  test\ttest test  test test test\ntest test test test test   junk ";
        Assert.Equal(Mnemonic.ToSeed(canonical), Mnemonic.ToSeed(messy));
        Assert.Equal(canonical, Mnemonic.Normalize(messy));
    }

    [Fact]
    public void Passphrase_changes_the_seed()
    {
        Assert.NotEqual(Mnemonic.ToSeed(DevAccounts.DefaultMnemonic), Mnemonic.ToSeed(DevAccounts.DefaultMnemonic, "x"));
    }

    [Fact]
    public void Wrong_word_count_is_reported()
    {
        var error = Assert.Throws<MnemonicException>(() => Mnemonic.Validate("test test test"));
        Assert.Contains("has 3", error.Message);
    }

    [Fact]
    public void Unknown_word_is_named_with_its_position()
    {
        var error = Assert.Throws<MnemonicException>(() =>
            Mnemonic.ToSeed("test test test test test test test test test tset test junk"));
        Assert.Contains("Word 10", error.Message);
        Assert.Contains("\"tset\"", error.Message);
    }

    [Fact]
    public void Bad_checksum_is_reported()
    {
        // Every word is in the list, but "test" ×12 does not carry a valid checksum.
        var error = Assert.Throws<MnemonicException>(() =>
            Mnemonic.Validate("test test test test test test test test test test test test"));
        Assert.Contains("checksum", error.Message);
        Assert.False(Mnemonic.IsValid("test test test test test test test test test test test test"));
    }

    [Fact]
    public void Unchecked_seed_accepts_any_text_as_the_bip_defines()
    {
        byte[] seed = Mnemonic.ToSeedUnchecked("not a mnemonic");
        Assert.Equal(Mnemonic.SeedLength, seed.Length);
    }

    [Fact]
    public void Non_ascii_passphrase_is_nfkd_normalised_or_refused()
    {
        // "é" precomposed (U+00E9) and decomposed (e + U+0301) are the same passphrase after NFKD.
        string composed = "caf\u00e9";
        string decomposed = "cafe\u0301";
        Assert.NotEqual(Encoding.UTF8.GetBytes(composed), Encoding.UTF8.GetBytes(decomposed));
        if (Mnemonic.CanNormalizeNonAscii)
        {
            Assert.Equal(Mnemonic.ToSeed(DevAccounts.DefaultMnemonic, composed), Mnemonic.ToSeed(DevAccounts.DefaultMnemonic, decomposed));
        }
        else
        {
            // Under InvariantGlobalization the two would silently give different seeds: refuse instead.
            var error = Assert.Throws<NotSupportedException>(() => Mnemonic.ToSeed(DevAccounts.DefaultMnemonic, composed));
            Assert.Contains("passphrase", error.Message);
        }
    }

    [Theory]
    [InlineData(15)]
    [InlineData(33)]
    [InlineData(0)]
    public void Entropy_of_a_wrong_length_is_rejected(int length)
    {
        Assert.Throws<ArgumentException>(() => Mnemonic.FromEntropy(new byte[length]));
    }

    [Fact]
    public void Entropy_round_trips_through_words()
    {
        var lengths = Gen.Elements(16, 20, 24, 28, 32);
        var entropies = lengths.SelectMany(n => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), n));
        Prop.ForAll(entropies.ToArbitrary(), entropy =>
        {
            string mnemonic = Mnemonic.FromEntropy(entropy);
            return Mnemonic.IsValid(mnemonic)
                && mnemonic.Split(' ').Length == entropy.Length * 3 / 4
                && Mnemonic.ToEntropy(mnemonic).AsSpan().SequenceEqual(entropy);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Word_list_is_sorted_unique_and_complete()
    {
        Assert.Equal(2048, Bip39EnglishWordList.All.Count);
        Assert.Equal("abandon", Bip39EnglishWordList.GetWord(0));
        Assert.Equal("zoo", Bip39EnglishWordList.GetWord(2047));
        for (int i = 1; i < Bip39EnglishWordList.Count; i++)
            Assert.True(string.CompareOrdinal(Bip39EnglishWordList.GetWord(i - 1), Bip39EnglishWordList.GetWord(i)) < 0);
        // The published file's SHA-256 (words separated and terminated by newlines).
        string file = string.Join('\n', Bip39EnglishWordList.All) + "\n";
        Assert.Equal(
            "0x2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda",
            Sha256.Compute(Encoding.ASCII.GetBytes(file)).ToString());
        Assert.Equal(-1, Bip39EnglishWordList.IndexOf("thalamus"));
        Assert.Equal(1788, Bip39EnglishWordList.IndexOf("test"));
    }
}
