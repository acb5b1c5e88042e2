using Thalamus.Core;
using Xunit;

namespace Thalamus.Crypto.Tests;

public class HdKeyDerivationTests
{
    private const string Seed1 = "000102030405060708090a0b0c0d0e0f";
    private const string Seed2 = "fffcf9f6f3f0edeae7e4e1dedbd8d5d2cfccc9c6c3c0bdbab7b4b1aeaba8a5a29f9c999693908d8a8784817e7b7875726f6c696663605d5a5754514e4b484542";

    // BIP-32 test vectors 1 and 2: path, extended public key, extended private key.
    [Theory]
    [InlineData(Seed1, "m",
        "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8",
        "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi")]
    [InlineData(Seed1, "m/0'",
        "xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw",
        "xprv9uHRZZhk6KAJC1avXpDAp4MDc3sQKNxDiPvvkX8Br5ngLNv1TxvUxt4cV1rGL5hj6KCesnDYUhd7oWgT11eZG7XnxHrnYeSvkzY7d2bhkJ7")]
    [InlineData(Seed1, "m/0'/1",
        "xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ",
        "xprv9wTYmMFdV23N2TdNG573QoEsfRrWKQgWeibmLntzniatZvR9BmLnvSxqu53Kw1UmYPxLgboyZQaXwTCg8MSY3H2EU4pWcQDnRnrVA1xe8fs")]
    [InlineData(Seed1, "m/0'/1/2'",
        "xpub6D4BDPcP2GT577Vvch3R8wDkScZWzQzMMUm3PWbmWvVJrZwQY4VUNgqFJPMM3No2dFDFGTsxxpG5uJh7n7epu4trkrX7x7DogT5Uv6fcLW5",
        "xprv9z4pot5VBttmtdRTWfWQmoH1taj2axGVzFqSb8C9xaxKymcFzXBDptWmT7FwuEzG3ryjH4ktypQSAewRiNMjANTtpgP4mLTj34bhnZX7UiM")]
    [InlineData(Seed1, "m/0'/1/2'/2",
        "xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe5JnJ7dh8zL4fiyLHV",
        "xprvA2JDeKCSNNZky6uBCviVfJSKyQ1mDYahRjijr5idH2WwLsEd4Hsb2Tyh8RfQMuPh7f7RtyzTtdrbdqqsunu5Mm3wDvUAKRHSC34sJ7in334")]
    [InlineData(Seed1, "m/0'/1/2'/2/1000000000",
        "xpub6H1LXWLaKsWFhvm6RVpEL9P4KfRZSW7abD2ttkWP3SSQvnyA8FSVqNTEcYFgJS2UaFcxupHiYkro49S8yGasTvXEYBVPamhGW6cFJodrTHy",
        "xprvA41z7zogVVwxVSgdKUHDy1SKmdb533PjDz7J6N6mV6uS3ze1ai8FHa8kmHScGpWmj4WggLyQjgPie1rFSruoUihUZREPSL39UNdE3BBDu76")]
    [InlineData(Seed2, "m",
        "xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB",
        "xprv9s21ZrQH143K31xYSDQpPDxsXRTUcvj2iNHm5NUtrGiGG5e2DtALGdso3pGz6ssrdK4PFmM8NSpSBHNqPqm55Qn3LqFtT2emdEXVYsCzC2U")]
    [InlineData(Seed2, "m/0",
        "xpub69H7F5d8KSRgmmdJg2KhpAK8SR3DjMwAdkxj3ZuxV27CprR9LgpeyGmXUbC6wb7ERfvrnKZjXoUmmDznezpbZb7ap6r1D3tgFxHmwMkQTPH",
        "xprv9vHkqa6EV4sPZHYqZznhT2NPtPCjKuDKGY38FBWLvgaDx45zo9WQRUT3dKYnjwih2yJD9mkrocEZXo1ex8G81dwSM1fwqWpWkeS3v86pgKt")]
    [InlineData(Seed2, "m/0/2147483647'",
        "xpub6ASAVgeehLbnwdqV6UKMHVzgqAG8Gr6riv3Fxxpj8ksbH9ebxaEyBLZ85ySDhKiLDBrQSARLq1uNRts8RuJiHjaDMBU4Zn9h8LZNnBC5y4a",
        "xprv9wSp6B7kry3Vj9m1zSnLvN3xH8RdsPP1Mh7fAaR7aRLcQMKTR2vidYEeEg2mUCTAwCd6vnxVrcjfy2kRgVsFawNzmjuHc2YmYRmagcEPdU9")]
    [InlineData(Seed2, "m/0/2147483647'/1",
        "xpub6DF8uhdarytz3FWdA8TvFSvvAh8dP3283MY7p2V4SeE2wyWmG5mg5EwVvmdMVCQcoNJxGoWaU9DCWh89LojfZ537wTfunKau47EL2dhHKon",
        "xprv9zFnWC6h2cLgpmSA46vutJzBcfJ8yaJGg8cX1e5StJh45BBciYTRXSd25UEPVuesF9yog62tGAQtHjXajPPdbRCHuWS6T8XA2ECKADdw4Ef")]
    [InlineData(Seed2, "m/0/2147483647'/1/2147483646'",
        "xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL",
        "xprvA1RpRA33e1JQ7ifknakTFpgNXPmW2YvmhqLQYMmrj4xJXXWYpDPS3xz7iAxn8L39njGVyuoseXzU6rcxFLJ8HFsTjSyQbLYnMpCqE2VbFWc")]
    [InlineData(Seed2, "m/0/2147483647'/1/2147483646'/2",
        "xpub6FnCn6nSzZAw5Tw7cgR9bi15UV96gLZhjDstkXXxvCLsUXBGXPdSnLFbdpq8p9HmGsApME5hQTZ3emM2rnY5agb9rXpVGyy3bdW6EEgAtqt",
        "xprvA2nrNbFZABcdryreWet9Ea4LvTJcGsqrMzxHx98MMrotbir7yrKCEXw7nadnHM8Dq38EGfSh6dqA9QWTyefMLEcBYJUuekgW4BYPJcr9E7j")]
    public void Bip32_test_vectors(string seedHex, string path, string xpub, string xprv)
    {
        HdKeyDerivation.ExtendedKey key = HdKeyDerivation.DerivePath(Hex.Decode(seedHex), path);
        Assert.Equal(xprv, key.ToExtendedPrivateKeyString());
        Assert.Equal(xpub, key.ToExtendedPublicKeyString());
    }

    [Fact]
    public void Step_by_step_derivation_equals_path_derivation()
    {
        byte[] seed = Hex.Decode(Seed1);
        var master = HdKeyDerivation.MasterFromSeed(seed);
        var stepwise = master.Derive(0 + HdKeyDerivation.HardenedOffset).Derive(1).Derive("2'/2");
        var direct = HdKeyDerivation.DerivePath(seed, "m/0h/1/2H/2");
        Assert.Equal(direct.PrivateKey, stepwise.PrivateKey);
        Assert.Equal(direct.ChainCode, stepwise.ChainCode);
        Assert.Equal(4, stepwise.Depth);
        Assert.Equal(2u, stepwise.ChildNumber);
    }

    [Fact]
    public void Parent_fingerprint_links_child_to_parent()
    {
        var master = HdKeyDerivation.MasterFromSeed(Hex.Decode(Seed2));
        var child = master.Derive(7);
        Assert.Equal(master.Fingerprint, child.ParentFingerprint);
        Assert.Equal(0u, master.ParentFingerprint);
    }

    [Fact]
    public void Compressed_public_key_matches_the_full_key()
    {
        var key = HdKeyDerivation.DerivePath(Hex.Decode(Seed1), "m/0'/1");
        byte[] compressed = key.CompressedPublicKey;
        Assert.Equal(33, compressed.Length);
        Assert.Equal(key.PublicKey.AsSpan(0, 32).ToArray(), compressed.AsSpan(1).ToArray());
        Assert.Equal(0x02 | (key.PublicKey[63] & 1), compressed[0]);
        Assert.Equal(Secp256k1.PrivateKeyToAddress(key.PrivateKey), key.Address);
    }

    [Theory]
    [InlineData("m/")]
    [InlineData("m/x")]
    [InlineData("m/2147483648")]
    [InlineData("m/-1")]
    [InlineData("m/1''")]
    [InlineData("")]
    public void Malformed_paths_are_rejected_clearly(string path)
    {
        var error = Assert.Throws<FormatException>(() => HdKeyDerivation.DerivePath(Hex.Decode(Seed1), path));
        Assert.Contains("path", error.Message);
    }

    [Fact]
    public void Relative_path_from_a_seed_is_rejected()
    {
        Assert.Throws<FormatException>(() => HdKeyDerivation.DerivePath(Hex.Decode(Seed1), "0/1"));
    }

    [Fact]
    public void Absolute_path_from_a_child_is_rejected()
    {
        var child = HdKeyDerivation.MasterFromSeed(Hex.Decode(Seed1)).Derive(1);
        Assert.Throws<InvalidOperationException>(() => child.Derive("m/1"));
    }

    [Theory]
    [InlineData(15)]
    [InlineData(65)]
    public void Seed_length_is_checked(int length)
    {
        Assert.Throws<ArgumentException>(() => HdKeyDerivation.MasterFromSeed(new byte[length]));
    }

    [Fact]
    public void ToString_does_not_leak_the_key()
    {
        var key = HdKeyDerivation.MasterFromSeed(Hex.Decode(Seed1));
        Assert.DoesNotContain(Hex.Encode(key.PrivateKey, prefix: false), key.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
