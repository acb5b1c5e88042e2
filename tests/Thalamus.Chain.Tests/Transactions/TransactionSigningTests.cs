using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Thalamus.Crypto;
using Xunit;

namespace Thalamus.Chain.Tests.Transactions;

public class TransactionSigningTests
{
    [Theory]
    [InlineData(TxType.Legacy)]
    [InlineData(TxType.AccessList)]
    [InlineData(TxType.DynamicFee)]
    [InlineData(TxType.Blob)]
    public void Sign_then_recover_returns_the_signer(TxType type) => Check.One(TransactionGenerators.Config, Prop.ForAll(
        TransactionGenerators.Unsigned(type).ToArbitrary(), TransactionGenerators.PrivateKey.ToArbitrary(), (tx, key) =>
        {
            var signed = TransactionSigner.Sign(tx, key);
            var expected = Secp256k1.PrivateKeyToAddress(key);

            Assert.Equal(expected, signed.RecoverSender());
            // and after a trip through the wire format, with nothing cached
            Assert.Equal(expected, TransactionDecoder.Decode(signed.Encode()).RecoverSender());
            Assert.True(Secp256k1.IsLowS(signed.S));
        }));

    [Theory]
    [InlineData(TxType.Legacy)]
    [InlineData(TxType.AccessList)]
    [InlineData(TxType.DynamicFee)]
    [InlineData(TxType.Blob)]
    public void V_follows_the_type_and_chain_id(TxType type) => Check.One(TransactionGenerators.Config, Prop.ForAll(
        TransactionGenerators.Unsigned(type).ToArbitrary(), TransactionGenerators.PrivateKey.ToArbitrary(), (tx, key) =>
        {
            var signed = TransactionSigner.Sign(tx, key);
            var parity = signed.GetRecoveryId();
            Assert.InRange(parity, 0, 1);
            if (type != TxType.Legacy) Assert.Equal((UInt256)(ulong)parity, signed.V);
            else if (tx.ChainId is { } chainId) Assert.Equal(new UInt256(chainId) * 2 + 35 + (ulong)parity, signed.V);
            else Assert.Equal((UInt256)(27 + (ulong)parity), signed.V);
        }));

    [Fact]
    public void Signing_keeps_every_other_field() => Check.One(TransactionGenerators.Config, Prop.ForAll(
        Gen.Elements(TransactionGenerators.AllTypes).SelectMany(TransactionGenerators.Unsigned).ToArbitrary(),
        TransactionGenerators.PrivateKey.ToArbitrary(), (tx, key) =>
        {
            var signed = TransactionSigner.Sign(tx, key);
            TransactionAssert.SameFields(TransactionGenerators.Copy(tx, signed.V, signed.R, signed.S), signed);
            Assert.Equal(TransactionEncoder.ComputeSigningHash(tx), TransactionEncoder.ComputeSigningHash(signed));
        }));

    [Fact]
    public void Changing_the_chain_id_changes_the_recovered_sender() => Check.One(TransactionGenerators.Config, Prop.ForAll(
        Gen.Elements(TransactionGenerators.AllTypes).SelectMany(TransactionGenerators.Unsigned).Where(t => t.ChainId is not null and < ulong.MaxValue).ToArbitrary(),
        TransactionGenerators.PrivateKey.ToArbitrary(), (tx, key) =>
        {
            // Replay protection: the signature commits to the chain id, so the same signature over
            // another chain id recovers someone else (or nobody).
            var signed = TransactionSigner.Sign(tx, key);
            var otherChain = signed.ChainId!.Value + 1;
            var v = signed.Type == TxType.Legacy ? new UInt256(otherChain) * 2 + 35 + (ulong)signed.GetRecoveryId() : signed.V;
            var replayed = TransactionGenerators.Copy(signed, v, signed.R, signed.S, otherChain, keepChainId: false);
            try
            {
                Assert.NotEqual(signed.RecoverSender(), replayed.RecoverSender());
            }
            catch (InvalidSignatureException)
            {
                // no key at all recovers: also a rejection
            }
        }));

    // EIP-155's worked example: nonce 9, gas price 20 gwei, gas 21000, to 0x3535…35, 1 ether,
    // no data, chain id 1, key 0x4646…46. The EIP gives the preimage, its hash and the signed bytes.
    private static readonly Transaction Eip155Example = new()
    {
        Type = TxType.Legacy,
        ChainId = 1,
        Nonce = 9,
        GasPrice = 20_000_000_000UL,
        GasLimit = 21_000,
        To = Address.Parse("0x3535353535353535353535353535353535353535"),
        Value = 1_000_000_000_000_000_000UL,
    };

    [Fact]
    public void EIP155_example_preimage_and_signing_hash_match_the_EIP()
    {
        Assert.Equal(
            "0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080",
            Hex.Encode(TransactionEncoder.EncodeForSigning(Eip155Example)));
        Assert.Equal(
            Hash256.Parse("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53"),
            TransactionEncoder.ComputeSigningHash(Eip155Example));
    }

    [Fact]
    public void EIP155_example_signs_to_the_bytes_in_the_EIP()
    {
        var key = Enumerable.Repeat((byte)0x46, 32).ToArray();
        var signed = TransactionSigner.Sign(Eip155Example, key);

        Assert.Equal(
            "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83",
            Hex.Encode(signed.Encode()));
        Assert.Equal((UInt256)37, signed.V);
        Assert.Equal(Secp256k1.PrivateKeyToAddress(key), TransactionDecoder.Decode(signed.Encode()).RecoverSender());
    }

    [Fact]
    public void Sign_rejects_a_key_of_the_wrong_length()
    {
        var error = Assert.Throws<ArgumentException>(() => TransactionSigner.Sign(Eip155Example, new byte[31]));
        Assert.Contains("32 bytes", error.Message);
    }
}
