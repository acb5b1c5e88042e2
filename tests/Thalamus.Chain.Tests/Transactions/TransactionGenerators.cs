using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Chain.Tests.Transactions;

/// <summary>FsCheck generators for transactions of every type, with edge values mixed in.</summary>
internal static class TransactionGenerators
{
    public static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(200);

    public static readonly TxType[] AllTypes = [TxType.Legacy, TxType.AccessList, TxType.DynamicFee, TxType.Blob];

    private static readonly Gen<byte> Byte = Gen.Choose(0, 255).Select(i => (byte)i);

    public static Gen<byte[]> Bytes(int length) => Byte.ArrayOf(length);

    public static readonly Gen<ulong> UInt64 = Gen.Frequency(
        (4, Gen.Choose(0, 300).Select(i => (ulong)i)),
        (3, Bytes(8).Select(b => System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(b))),
        (2, Gen.Elements<ulong>(0, 0x7f, 0x80, 0xff, 0x100, uint.MaxValue, long.MaxValue, ulong.MaxValue - 1, ulong.MaxValue)));

    /// <summary>Uniform byte lengths 0..32, so every magnitude appears, plus the edges.</summary>
    public static readonly Gen<UInt256> UInt256Value = Gen.Frequency(
        (6, Gen.Choose(0, 32).SelectMany(n => Bytes(n)).Select(b => UInt256.FromBigEndian(b))),
        (1, Gen.Elements(UInt256.Zero, UInt256.One, (UInt256)0x7f, (UInt256)0x80, UInt256.MaxValue)));

    public static readonly Gen<Address> AddressValue = Bytes(20).Select(b => new Address(b));

    public static readonly Gen<Hash256> HashValue = Bytes(32).Select(b => new Hash256(b));

    /// <summary>Lengths around the RLP short/long boundary (55/56) and a few long ones.</summary>
    public static readonly Gen<byte[]> Data = Gen.Frequency(
        (4, Gen.Choose(0, 80)),
        (2, Gen.Elements(0, 1, 55, 56, 57, 255, 256, 1024, 70_000)))
        .SelectMany(length => Gen.Frequency((3, Bytes(length)), (1, Gen.Constant(new byte[length]))));

    public static readonly Gen<AccessListEntry> AccessListEntryValue =
        from address in AddressValue
        from keys in Gen.Choose(0, 3).SelectMany(n => UInt256Value.ArrayOf(n))
        select new AccessListEntry(address, keys);

    public static readonly Gen<AccessListEntry[]> AccessListValue = Gen.Choose(0, 3).SelectMany(n => AccessListEntryValue.ArrayOf(n));

    /// <summary>1..6 hashes carrying the KZG version byte, as a valid blob transaction has.</summary>
    public static readonly Gen<Hash256[]> BlobHashes = Gen.Choose(1, 6).SelectMany(n => Bytes(32).Select(b =>
    {
        b[0] = Thalamus.Evm.Precompiles.PrecompileRegistry.KzgVersionedHashVersion;
        return new Hash256(b);
    }).ArrayOf(n));

    /// <summary>Valid private keys: 32 random bytes in 1..N-1.</summary>
    public static readonly Gen<byte[]> PrivateKey = Bytes(32).Where(b => Secp256k1.IsValidPrivateKey(b));

    /// <summary>An unsigned transaction of the given type; legacy ones sometimes carry no chain id (pre-EIP-155).</summary>
    public static Gen<Transaction> Unsigned(TxType type) =>
        from chainId in UInt64
        from withChainId in type == TxType.Legacy ? Gen.Elements(true, false) : Gen.Constant(true)
        from nonce in UInt64
        from gasPrice in UInt256Value
        from tip in UInt256Value
        from feeCap in UInt256Value
        from gasLimit in UInt64
        from create in type == TxType.Blob ? Gen.Constant(false) : Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from to in AddressValue
        from value in UInt256Value
        from data in Data
        from accessList in type == TxType.Legacy ? Gen.Constant(Array.Empty<AccessListEntry>()) : AccessListValue
        from blobFee in UInt256Value
        from blobHashes in type == TxType.Blob ? BlobHashes : Gen.Constant(Array.Empty<Hash256>())
        select new Transaction
        {
            Type = type,
            ChainId = withChainId ? chainId : null,
            Nonce = nonce,
            GasPrice = type is TxType.Legacy or TxType.AccessList ? gasPrice : UInt256.Zero,
            MaxPriorityFeePerGas = type is TxType.DynamicFee or TxType.Blob ? tip : UInt256.Zero,
            MaxFeePerGas = type is TxType.DynamicFee or TxType.Blob ? feeCap : UInt256.Zero,
            GasLimit = gasLimit,
            To = create ? null : to,
            Value = value,
            Data = data,
            AccessList = accessList,
            MaxFeePerBlobGas = type == TxType.Blob ? blobFee : UInt256.Zero,
            BlobVersionedHashes = blobHashes,
        };

    /// <summary>
    /// A transaction with arbitrary (not necessarily valid) signature values of the right shape:
    /// v consistent with the type and chain id, r and s any 256-bit numbers.
    /// </summary>
    public static Gen<Transaction> WithArbitrarySignature(TxType type) =>
        from tx in Unsigned(type)
        from parity in Gen.Elements(0, 1)
        from r in UInt256Value
        from s in UInt256Value
        select Copy(tx, LegacyOrTypedV(tx, parity), r, s);

    public static readonly Gen<Transaction> AnyWithArbitrarySignature = Gen.Elements(AllTypes).SelectMany(WithArbitrarySignature);

    public static UInt256 LegacyOrTypedV(Transaction tx, int parity)
    {
        if (tx.Type != TxType.Legacy) return (ulong)parity;
        if (tx.ChainId is { } chainId) return new UInt256(chainId) * 2 + 35 + (ulong)parity;
        return 27 + (ulong)parity;
    }

    /// <summary>A copy with other signature values (the tests' stand-in for the internal WithSignature).</summary>
    public static Transaction Copy(Transaction tx, UInt256 v, UInt256 r, UInt256 s, ulong? chainId = null, bool keepChainId = true) => new()
    {
        Type = tx.Type,
        ChainId = keepChainId ? tx.ChainId : chainId,
        Nonce = tx.Nonce,
        GasPrice = tx.GasPrice,
        MaxPriorityFeePerGas = tx.MaxPriorityFeePerGas,
        MaxFeePerGas = tx.MaxFeePerGas,
        GasLimit = tx.GasLimit,
        To = tx.To,
        Value = tx.Value,
        Data = tx.Data,
        AccessList = tx.AccessList,
        MaxFeePerBlobGas = tx.MaxFeePerBlobGas,
        BlobVersionedHashes = tx.BlobVersionedHashes,
        V = v,
        R = r,
        S = s,
    };
}
