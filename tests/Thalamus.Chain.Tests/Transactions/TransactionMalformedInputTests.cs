using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Thalamus.Crypto;
using Xunit;

namespace Thalamus.Chain.Tests.Transactions;

public class TransactionMalformedInputTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private static Transaction Signed(TxType type, ulong chainId = 1) => TransactionSigner.Sign(new Transaction
    {
        Type = type,
        ChainId = chainId,
        Nonce = 7,
        GasPrice = type is TxType.Legacy or TxType.AccessList ? 10UL : UInt256.Zero,
        MaxPriorityFeePerGas = type is TxType.DynamicFee or TxType.Blob ? 2UL : UInt256.Zero,
        MaxFeePerGas = type is TxType.DynamicFee or TxType.Blob ? 10UL : UInt256.Zero,
        GasLimit = 100_000,
        To = Address.Parse("0x00000000000000000000000000000000000000aa"),
        Value = 5UL,
        Data = [1, 0, 2],
        AccessList = type == TxType.Legacy ? [] : [new AccessListEntry(Address.Zero, [UInt256.One])],
        MaxFeePerBlobGas = type == TxType.Blob ? 3UL : UInt256.Zero,
        BlobVersionedHashes = type == TxType.Blob ? [BlobHash(0x01)] : [],
    }, Key);

    private static Hash256 BlobHash(byte version)
    {
        var bytes = new byte[32];
        bytes[0] = version;
        bytes[31] = 0x42;
        return new Hash256(bytes);
    }

    public static TheoryData<TxType> Types => [TxType.Legacy, TxType.AccessList, TxType.DynamicFee, TxType.Blob];

    [Theory]
    [MemberData(nameof(Types))]
    public void Every_truncation_is_a_decoding_error(TxType type)
    {
        var encoded = Signed(type).Encode();
        for (var length = 0; length < encoded.Length; length++)
        {
            var error = Assert.Throws<TransactionDecodingException>(() => TransactionDecoder.Decode(encoded.AsSpan(0, length)));
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
        }
    }

    [Fact]
    public void Truncated_RLP_says_so()
    {
        var encoded = Signed(TxType.Legacy).Encode();
        var error = Assert.Throws<TransactionDecodingException>(() => TransactionDecoder.Decode(encoded.AsSpan(0, encoded.Length - 1)));
        Assert.Contains("truncated", error.Message);
        Assert.IsType<RlpException>(error.InnerException);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void A_trailing_byte_is_a_decoding_error(TxType type)
    {
        byte[] encoded = [.. Signed(type).Encode(), 0x00];
        var error = Assert.Throws<TransactionDecodingException>(() => TransactionDecoder.Decode(encoded));
        Assert.Contains("after the RLP list", error.Message);
    }

    [Fact]
    public void Empty_input_is_a_decoding_error() =>
        Assert.Contains("empty", Assert.Throws<TransactionDecodingException>(() => TransactionDecoder.Decode([])).Message);

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x04)]
    [InlineData(0x7f)]
    public void Unknown_type_bytes_are_rejected(byte type)
    {
        byte[] encoded = [type, .. Signed(TxType.DynamicFee).Encode().AsSpan(1)];
        var error = Assert.Throws<TransactionDecodingException>(() => TransactionDecoder.Decode(encoded));
        Assert.Contains($"0x{type:x2} is not supported", error.Message);
    }

    [Fact]
    public void A_transaction_given_as_an_RLP_string_is_rejected()
    {
        var legacy = Signed(TxType.Legacy).Encode();
        var wrapped = Rlp.EncodeBytes(legacy);
        Assert.Contains("RLP string", Assert.Throws<TransactionDecodingException>(() => TransactionDecoder.Decode(wrapped)).Message);
    }

    [Fact]
    public void Random_bytes_never_escape_as_another_exception_type() => Check.One(TransactionGenerators.Config.WithMaxTest(2000), Prop.ForAll(
        Gen.Choose(0, 200).SelectMany(TransactionGenerators.Bytes).ToArbitrary(), bytes => DecodeAndRecoverTyped(bytes)));

    [Fact]
    public void Mutated_valid_transactions_are_decoded_or_rejected_with_a_typed_error() => Check.One(TransactionGenerators.Config.WithMaxTest(1000), Prop.ForAll(
        TransactionGenerators.AnyWithArbitrarySignature.ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), Gen.Choose(0, 255).ToArbitrary(),
        (tx, position, value) =>
        {
            var encoded = tx.Encode();
            encoded[position % encoded.Length] = (byte)value;
            DecodeAndRecoverTyped(encoded);
        }));

    private static void DecodeAndRecoverTyped(byte[] bytes)
    {
        try
        {
            var tx = TransactionDecoder.Decode(bytes);
            TransactionValidator.CheckStateless(tx, 1);
            IntrinsicGas.Calculate(tx);
            tx.RecoverSender();
        }
        catch (InvalidTransactionException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        }
    }

    // ---- field rules ----

    [Theory]
    [InlineData(0, "nonce")]
    [InlineData(1, "gasPrice")]
    [InlineData(2, "gasLimit")]
    [InlineData(4, "value")]
    [InlineData(6, "v")]
    [InlineData(7, "r")]
    [InlineData(8, "s")]
    public void Integers_with_leading_zeros_are_rejected(int index, string field)
    {
        var tx = Signed(TxType.Legacy);
        var items = LegacyFieldsWithV(tx, (ulong)tx.V);
        // the same number with a zero byte in front: 0x00 followed by its minimal big-endian bytes
        var value = new RlpReader(items[index]).ReadUInt256();
        byte[] padded = [0x00, .. value.IsZero ? [] : value.ToBigEndian().AsSpan(32 - value.ByteLength)];
        items[index] = Rlp.EncodeBytes(padded);
        var error = Assert.Throws<TransactionDecodingException>(() => TransactionDecoder.Decode(Rlp.EncodeList(items)));
        Assert.StartsWith(field + " ", error.Message);
        Assert.Contains("leading zero", error.Message);
    }

    [Fact]
    public void A_field_count_other_than_the_layout_is_rejected()
    {
        var items = new[] { 0x80, 0x0a, 0x80, 0x80, 0x80, 0x80, 0x1b, 0x01 }.Select(b => new[] { (byte)b }).ToArray();
        var eight = Rlp.EncodeList(items);
        var error = Assert.Throws<TransactionDecodingException>(() => TransactionDecoder.Decode(eight));
        Assert.Contains("has 8 fields, expected 9", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(26)]
    [InlineData(29)]
    [InlineData(34)]
    public void Legacy_v_outside_27_28_and_EIP155_is_rejected(int v)
    {
        var tx = TransactionGenerators.Copy(Signed(TxType.Legacy), (ulong)v, 1UL, 1UL);
        var encoded = Rlp.EncodeList(LegacyFieldsWithV(tx, (ulong)v));
        var error = Assert.Throws<TransactionDecodingException>(() => TransactionDecoder.Decode(encoded));
        Assert.Contains($"invalid v {v}", error.Message);
    }

    private static byte[][] LegacyFieldsWithV(Transaction tx, ulong v) =>
    [
        Rlp.EncodeUInt64(tx.Nonce), Rlp.EncodeUInt256(tx.GasPrice), Rlp.EncodeUInt64(tx.GasLimit), Rlp.EncodeAddress(tx.To!.Value),
        Rlp.EncodeUInt256(tx.Value), Rlp.EncodeBytes(tx.Data), Rlp.EncodeUInt64(v), Rlp.EncodeUInt256(tx.R), Rlp.EncodeUInt256(tx.S),
    ];

    [Theory]
    [InlineData(TxType.AccessList)]
    [InlineData(TxType.DynamicFee)]
    [InlineData(TxType.Blob)]
    public void Typed_y_parity_above_1_is_rejected(TxType type)
    {
        var bad = TransactionGenerators.Copy(Signed(type), 2UL, 1UL, 1UL);
        var error = Assert.Throws<TransactionDecodingException>(() => TransactionDecoder.Decode(bad.Encode()));
        Assert.Contains("yParity must be 0 or 1", error.Message);
    }

    [Fact]
    public void A_blob_transaction_without_recipient_is_rejected()
    {
        var tx = Signed(TxType.Blob);
        // the encoder refuses to build one, so write the fields by hand with an empty 'to'
        var fields = new RlpReader(tx.Encode().AsSpan(1)).ReadList();
        var items = new List<byte[]>();
        while (fields.HasMore) items.Add(fields.ReadRaw().ToArray());
        items[5] = [0x80];
        byte[] encoded = [0x03, .. Rlp.EncodeList([.. items])];
        var error = Assert.Throws<TransactionDecodingException>(() => TransactionDecoder.Decode(encoded));
        Assert.Contains("cannot create a contract", error.Message);
        Assert.Throws<ArgumentException>(() => new Transaction { Type = TxType.Blob, ChainId = 1, BlobVersionedHashes = tx.BlobVersionedHashes }.Encode());
    }

    // ---- signature rules ----

    [Theory]
    [MemberData(nameof(Types))]
    public void High_s_is_rejected_even_though_the_curve_accepts_it(TxType type)
    {
        var tx = Signed(type);
        // (r, N - s) with the other parity is the same signature mirrored: valid ECDSA, forbidden by EIP-2.
        var flippedParity = 1 - tx.GetRecoveryId();
        var highS = TransactionGenerators.Copy(tx, TransactionGenerators.LegacyOrTypedV(tx, flippedParity), tx.R, Secp256k1.N - tx.S);
        var decoded = TransactionDecoder.Decode(highS.Encode());

        var error = Assert.Throws<InvalidSignatureException>(() => decoded.RecoverSender());
        Assert.Contains("EIP-2", error.Message);
    }

    [Theory]
    [InlineData("0", "1", "r is zero")]
    [InlineData("1", "0", "s is zero")]
    [InlineData("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", "1", "not below the curve order")]
    [InlineData("1", "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", "not below the curve order")]
    public void Out_of_range_r_or_s_is_rejected(string r, string s, string expected)
    {
        var tx = Signed(TxType.DynamicFee);
        var bad = TransactionDecoder.Decode(TransactionGenerators.Copy(tx, tx.V, UInt256.Parse(r), UInt256.Parse(s)).Encode());
        var error = Assert.Throws<InvalidSignatureException>(() => bad.RecoverSender());
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_signature_with_no_recoverable_key_is_rejected()
    {
        // r = N-1 is not the x coordinate of any curve point (as in ethereum-tests TransactionWithRvalueHigh).
        var tx = Signed(TxType.Legacy);
        var bad = TransactionDecoder.Decode(TransactionGenerators.Copy(tx, tx.V, Secp256k1.N - 1, tx.S).Encode());
        var error = Assert.Throws<InvalidSignatureException>(() => bad.RecoverSender());
        Assert.Contains("no public key can be recovered", error.Message);
    }

    [Fact]
    public void A_legacy_v_inconsistent_with_the_chain_id_is_a_signature_error()
    {
        // Built in memory (the decoder derives the chain id from v, so it cannot disagree there).
        var tx = Signed(TxType.Legacy, chainId: 5);
        var bad = TransactionGenerators.Copy(tx, 37UL, tx.R, tx.S);
        var error = Assert.Throws<InvalidSignatureException>(() => bad.RecoverSender());
        Assert.Contains("does not match chain id 5", error.Message);
    }

    // ---- chain id ----

    [Theory]
    [MemberData(nameof(Types))]
    public void A_transaction_for_another_chain_is_rejected(TxType type)
    {
        var tx = TransactionDecoder.Decode(Signed(type, chainId: 5).Encode());
        Assert.Null(TransactionValidator.CheckStateless(tx, 5)?.Message);
        var error = Assert.Throws<InvalidTransactionException>(() => TransactionValidator.Validate(tx, 1));
        Assert.Contains("invalid chain id", error.Message);
        Assert.Equal("invalid chain id for signer: have 5 want 1", error.Message);
    }

    [Fact]
    public void A_legacy_transaction_without_chain_id_is_accepted_on_any_chain()
    {
        var tx = TransactionSigner.Sign(TransactionGenerators.Copy(Signed(TxType.Legacy), 0UL, 0UL, 0UL, chainId: null, keepChainId: false), Key);
        var decoded = TransactionDecoder.Decode(tx.Encode());
        Assert.Null(decoded.ChainId);
        Assert.Null(TransactionValidator.CheckStateless(decoded, 1)?.Message);
        Assert.Null(TransactionValidator.CheckStateless(decoded, 12345)?.Message);
        Assert.Equal(Secp256k1.PrivateKeyToAddress(Key), decoded.RecoverSender());
    }
}
