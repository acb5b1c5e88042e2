using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Xunit;

namespace Thalamus.Crypto.Tests;

public class Secp256k1Tests
{
    // Hardhat/Anvil's first two well-known development accounts.
    [Theory]
    [InlineData("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")]
    [InlineData("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8")]
    public void Private_key_derives_the_known_address(string privateKey, string checksummedAddress)
    {
        Address address = Secp256k1.PrivateKeyToAddress(Hex.Decode(privateKey));
        Assert.Equal(checksummedAddress, address.ToChecksumString());
    }

    [Fact]
    public void Signing_reproduces_the_EIP155_example_signature()
    {
        // EIP-155's worked example: key 0x4646…46, signing hash of the example transaction, v = 37 (chain 1).
        byte[] key = Enumerable.Repeat((byte)0x46, 32).ToArray();
        byte[] hash = Hex.Decode("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");

        Signature signature = Secp256k1.Sign(hash, key);

        Assert.Equal(UInt256.Parse("18515461264373351373200002665853028612451056578545711640558177340181847433846"), signature.R);
        Assert.Equal(UInt256.Parse("46948507304638947509940763649030358759909902576025900602547168820602576006531"), signature.S);
        Assert.Equal(37 - 35 - 2 * 1, signature.RecoveryId);
        Assert.True(Secp256k1.TryRecoverAddress(hash, signature, out Address sender));
        Assert.Equal(Address.Parse("0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f"), sender);
    }

    [Fact]
    public void Curve_constants_match_an_independent_definition()
    {
        var curve = Org.BouncyCastle.Asn1.Sec.SecNamedCurves.GetByName("secp256k1");
        BigInteger order = BigInteger.Parse("0" + curve.N.ToString(16), System.Globalization.NumberStyles.HexNumber);
        Assert.Equal(order, Secp256k1.N.ToBigInteger());
        Assert.Equal(order / 2, Secp256k1.HalfN.ToBigInteger());
        Assert.True(Secp256k1.IsLowS(Secp256k1.HalfN));
        Assert.False(Secp256k1.IsLowS(Secp256k1.HalfN + 1));
    }

    [Fact]
    public void Sign_then_recover_returns_the_signer() => Check.One(CryptoGenerators.Config, Prop.ForAll(
        CryptoGenerators.PrivateKey.ToArbitrary(), CryptoGenerators.Hash.ToArbitrary(), (key, hash) =>
        {
            Signature signature = Secp256k1.Sign(hash, key);
            Address expected = Secp256k1.PrivateKeyToAddress(key);
            Span<byte> publicKey = stackalloc byte[64];
            Secp256k1.PrivateKeyToPublicKey(key, publicKey);

            Assert.True(signature.IsLowS);
            Assert.InRange(signature.RecoveryId, 0, 3);
            Assert.True(Secp256k1.TryRecoverAddress(hash, signature.R.ToBigEndian(), signature.S.ToBigEndian(), signature.RecoveryId, out Address recovered));
            Assert.Equal(expected, recovered);
            Assert.True(Secp256k1.Verify(hash, signature, publicKey));
            Assert.Equal(signature, Secp256k1.Sign(hash, key));
        }));

    [Fact]
    public void Signing_matches_an_independent_RFC6979_implementation() => Check.One(CryptoGenerators.Config, Prop.ForAll(
        CryptoGenerators.PrivateKey.ToArbitrary(), CryptoGenerators.Hash.ToArbitrary(), (key, hash) =>
        {
            var curve = Org.BouncyCastle.Asn1.Sec.SecNamedCurves.GetByName("secp256k1");
            var domain = new Org.BouncyCastle.Crypto.Parameters.ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
            var signer = new Org.BouncyCastle.Crypto.Signers.ECDsaSigner(
                new Org.BouncyCastle.Crypto.Signers.HMacDsaKCalculator(new Org.BouncyCastle.Crypto.Digests.Sha256Digest()));
            signer.Init(true, new Org.BouncyCastle.Crypto.Parameters.ECPrivateKeyParameters(new Org.BouncyCastle.Math.BigInteger(1, key), domain));
            var rs = signer.GenerateSignature(hash);
            var s = rs[1];
            if (s.CompareTo(curve.N.ShiftRight(1)) > 0)
                s = curve.N.Subtract(s);

            Signature signature = Secp256k1.Sign(hash, key);
            Assert.Equal(rs[0].ToString(16), signature.R.ToBigInteger().ToString("x").TrimStart('0'));
            Assert.Equal(s.ToString(16), signature.S.ToBigInteger().ToString("x").TrimStart('0'));
        }));

    [Fact]
    public void High_s_twin_still_recovers_but_is_not_canonical() => Check.One(CryptoGenerators.Config, Prop.ForAll(
        CryptoGenerators.PrivateKey.ToArbitrary(), CryptoGenerators.Hash.ToArbitrary(), (key, hash) =>
        {
            Signature low = Secp256k1.Sign(hash, key);
            // (r, N - s) with the opposite parity is the same signature's other, non-canonical form.
            var high = new Signature(low.R, Secp256k1.N - low.S, low.RecoveryId ^ 1);
            Span<byte> publicKey = stackalloc byte[64];
            Secp256k1.PrivateKeyToPublicKey(key, publicKey);

            Assert.False(high.IsLowS);
            Assert.False(Secp256k1.IsLowS(high.S));
            Assert.False(Secp256k1.Verify(hash, high, publicKey));
            Assert.True(Secp256k1.TryRecoverAddress(hash, high, out Address recovered));
            Assert.Equal(Secp256k1.PrivateKeyToAddress(key), recovered);
        }));

    [Fact]
    public void Verify_rejects_a_different_message_or_key() => Check.One(CryptoGenerators.Config, Prop.ForAll(
        CryptoGenerators.PrivateKey.ToArbitrary(), CryptoGenerators.Hash.ToArbitrary(), (key, hash) =>
        {
            Signature signature = Secp256k1.Sign(hash, key);
            Span<byte> publicKey = stackalloc byte[64];
            Secp256k1.PrivateKeyToPublicKey(key, publicKey);
            byte[] otherHash = (byte[])hash.Clone();
            otherHash[7] ^= 0x01;
            Span<byte> otherKey = stackalloc byte[64];
            Secp256k1.PrivateKeyToPublicKey(CryptoGenerators.KeyOf(12345), otherKey);

            Assert.False(Secp256k1.Verify(otherHash, signature, publicKey));
            Assert.False(Secp256k1.Verify(hash, signature, otherKey));
        }));

    public static TheoryData<string, string, int> OutOfRangeSignatures()
    {
        string zero = "0x00", one = "0x01";
        string n = Secp256k1.N.ToHexString();
        string nPlusOne = (Secp256k1.N + 1).ToHexString();
        string max = UInt256.MaxValue.ToHexString();
        return new TheoryData<string, string, int>
        {
            { zero, one, 0 }, { one, zero, 0 }, { zero, zero, 1 },
            { n, one, 0 }, { one, n, 1 }, { nPlusOne, one, 0 }, { one, max, 0 }, { max, max, 1 },
            { one, one, -1 }, { one, one, 4 }, { one, one, int.MaxValue }, { one, one, int.MinValue },
        };
    }

    [Theory]
    [MemberData(nameof(OutOfRangeSignatures))]
    public void Recovery_rejects_out_of_range_values_without_throwing(string r, string s, int recoveryId)
    {
        byte[] hash = Keccak256.Compute("thalamus"u8).ToArray();
        UInt256 rValue = UInt256.Parse(r), sValue = UInt256.Parse(s);

        Assert.False(Secp256k1.TryRecoverAddress(hash, rValue.ToBigEndian(), sValue.ToBigEndian(), recoveryId, out Address address));
        Assert.Equal(Address.Zero, address);
        Assert.False(Secp256k1.TryRecoverAddress(hash, rValue, sValue, recoveryId, out _));
        Assert.False(Secp256k1.TryRecoverPublicKey(hash, rValue, sValue, recoveryId, new byte[64]));
    }

    [Fact]
    public void Recovery_rejects_overlong_scalars_and_accepts_short_ones()
    {
        byte[] hash = Keccak256.Compute("short scalars"u8).ToArray();
        byte[] key = CryptoGenerators.KeyOf(7);
        Signature signature = Secp256k1.Sign(hash, key);
        byte[] r = signature.R.ToBigEndian(), s = signature.S.ToBigEndian();

        Assert.False(Secp256k1.TryRecoverAddress(hash, [0, .. r], s, signature.RecoveryId, out _));
        // Leading zero bytes may be omitted: the values are left-padded.
        int rStart = Array.FindIndex(r, b => b != 0);
        Assert.True(Secp256k1.TryRecoverAddress(hash, r.AsSpan(rStart), s, signature.RecoveryId, out Address recovered));
        Assert.Equal(Secp256k1.PrivateKeyToAddress(key), recovered);
    }

    [Fact]
    public void Arbitrary_signature_values_never_throw() => Check.One(CryptoGenerators.Config.WithMaxTest(1000), Prop.ForAll(
        CryptoGenerators.Bytes(32).ToArbitrary(), CryptoGenerators.Bytes(32).ToArbitrary(), Gen.Choose(-2, 5).ToArbitrary(), (r, s, recoveryId) =>
        {
            byte[] hash = Keccak256.Compute(r).ToArray();
            bool ok = Secp256k1.TryRecoverAddress(hash, r, s, recoveryId, out Address address);
            bool inRange = Secp256k1.IsValidScalar(r) && Secp256k1.IsValidScalar(s) && recoveryId is >= 0 and <= 3;
            Assert.True(inRange || !ok);
            Assert.True(ok || address == Address.Zero);
        }));

    [Theory]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")]
    [InlineData("0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    public void Invalid_private_keys_are_rejected_with_ArgumentException(string key)
    {
        byte[] hash = new byte[32];
        Assert.False(Secp256k1.IsValidPrivateKey(Hex.Decode(key)));
        Assert.Throws<ArgumentException>(() => Secp256k1.Sign(hash, Hex.Decode(key)));
        Assert.Throws<ArgumentException>(() => Secp256k1.PrivateKeyToAddress(Hex.Decode(key)));
    }

    [Fact]
    public void Wrong_buffer_sizes_are_argument_errors()
    {
        byte[] key = CryptoGenerators.KeyOf(3);
        Assert.Throws<ArgumentException>(() => Secp256k1.Sign(new byte[31], key));
        Assert.Throws<ArgumentException>(() => Secp256k1.Sign(new byte[32], new byte[33]));
        Assert.Throws<ArgumentException>(() => Secp256k1.TryRecoverAddress(new byte[33], new byte[32], new byte[32], 0, out _));
        Assert.Throws<ArgumentException>(() => Secp256k1.PublicKeyToAddress(new byte[63]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Signature(UInt256.One, UInt256.One, 4));
    }

    [Fact]
    public void Public_key_forms_agree()
    {
        byte[] key = CryptoGenerators.KeyOf(0xDEADBEEF);
        byte[] publicKey = new byte[64];
        Secp256k1.PrivateKeyToPublicKey(key, publicKey);
        byte[] prefixed = [0x04, .. publicKey];
        byte[] compressed = [(byte)(0x02 | (publicKey[63] & 1)), .. publicKey.AsSpan(0, 32)];
        byte[] hash = Keccak256.Compute("forms"u8).ToArray();
        Signature signature = Secp256k1.Sign(hash, key);

        Assert.Equal(Secp256k1.PublicKeyToAddress(publicKey), Secp256k1.PublicKeyToAddress(prefixed));
        Assert.Equal(new Address(Keccak256.Compute(publicKey).Bytes[12..]), Secp256k1.PublicKeyToAddress(publicKey));
        Assert.True(Secp256k1.Verify(hash, signature, prefixed));
        Assert.True(Secp256k1.Verify(hash, signature, compressed));
        Assert.True(Secp256k1.Verify(hash, signature.R.ToBigEndian(), signature.S.ToBigEndian(), publicKey));
        Assert.False(Secp256k1.Verify(hash, signature, publicKey.AsSpan(0, 63)));
    }

    [Fact]
    public void Recovery_is_safe_from_many_threads()
    {
        var keys = Enumerable.Range(1, 64).Select(i => CryptoGenerators.KeyOf((ulong)i * 7919)).ToArray();
        var cases = keys.Select(k =>
        {
            byte[] hash = Keccak256.Compute(k).ToArray();
            return (Hash: hash, Signature: Secp256k1.Sign(hash, k), Expected: Secp256k1.PrivateKeyToAddress(k));
        }).ToArray();

        int failures = 0;
        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var c = cases[i % cases.Length];
            if (!Secp256k1.TryRecoverAddress(c.Hash, c.Signature, out Address a) || a != c.Expected)
                Interlocked.Increment(ref failures);
        });
        Assert.Equal(0, failures);
    }
}
