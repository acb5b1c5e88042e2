using Thalamus.Core;

namespace Thalamus.Chain;

public sealed partial class BlockHeader
{
    private const int FieldCount = 20;

    /// <summary>rlp([parentHash, ommersHash, coinbase, stateRoot, txRoot, receiptsRoot, bloom, difficulty,
    /// number, gasLimit, gasUsed, timestamp, extraData, mixHash, nonce, baseFee, withdrawalsRoot,
    /// blobGasUsed, excessBlobGas, parentBeaconBlockRoot]).</summary>
    public byte[] Encode()
    {
        var writer = new RlpWriter(640);
        WriteTo(writer);
        return writer.ToArray();
    }

    public void WriteTo(RlpWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> nonce = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(nonce, Nonce);
        var list = writer.StartList();
        writer.WriteHash256(ParentHash);
        writer.WriteHash256(OmmersHash);
        writer.WriteAddress(Coinbase);
        writer.WriteHash256(StateRoot);
        writer.WriteHash256(TransactionsRoot);
        writer.WriteHash256(ReceiptsRoot);
        writer.WriteBytes(LogsBloom.Bytes);
        writer.WriteUInt256(Difficulty);
        writer.WriteUInt64(Number);
        writer.WriteUInt64(GasLimit);
        writer.WriteUInt64(GasUsed);
        writer.WriteUInt64(Timestamp);
        writer.WriteBytes(ExtraData);
        writer.WriteHash256(PrevRandao);
        writer.WriteBytes(nonce);
        writer.WriteUInt256(BaseFeePerGas);
        writer.WriteHash256(WithdrawalsRoot);
        writer.WriteUInt64(BlobGasUsed);
        writer.WriteUInt64(ExcessBlobGas);
        writer.WriteHash256(ParentBeaconBlockRoot);
        writer.EndList(list);
    }

    /// <summary>Decodes a Cancun header (exactly twenty fields, nothing trailing).</summary>
    /// <exception cref="RlpException">malformed, non-canonical, or not a Cancun header.</exception>
    public static BlockHeader Decode(ReadOnlySpan<byte> encoded)
    {
        var outer = new RlpReader(encoded);
        var header = Read(ref outer);
        outer.EnsureEnd();
        return header;
    }

    /// <summary>Reads one header list from <paramref name="reader"/>.</summary>
    public static BlockHeader Read(ref RlpReader reader)
    {
        var start = reader.Remaining;
        var fields = reader.ReadList();
        var count = fields.CountRemainingItems();
        if (count != FieldCount)
            throw new RlpException($"a Cancun block header has {FieldCount} fields, got {count}");
        var parentHash = fields.ReadHash256();
        var ommersHash = fields.ReadHash256();
        var coinbase = fields.ReadAddress();
        var stateRoot = fields.ReadHash256();
        var txRoot = fields.ReadHash256();
        var receiptsRoot = fields.ReadHash256();
        var bloomBytes = fields.ReadBytes();
        if (bloomBytes.Length != Bloom.ByteLength)
            throw new RlpException($"logs bloom must be {Bloom.ByteLength} bytes, got {bloomBytes.Length}");
        var bloom = new Bloom(bloomBytes);
        var difficulty = fields.ReadUInt256();
        var number = fields.ReadUInt64();
        var gasLimit = fields.ReadUInt64();
        var gasUsed = fields.ReadUInt64();
        var timestamp = fields.ReadUInt64();
        var extra = fields.ReadBytes().ToArray();
        var mixHash = fields.ReadHash256();
        var nonceBytes = fields.ReadBytes();
        if (nonceBytes.Length != 8) throw new RlpException($"header nonce must be 8 bytes, got {nonceBytes.Length}");
        var nonce = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(nonceBytes);
        var baseFee = fields.ReadUInt256();
        var withdrawalsRoot = fields.ReadHash256();
        var blobGasUsed = fields.ReadUInt64();
        var excessBlobGas = fields.ReadUInt64();
        var beaconRoot = fields.ReadHash256();
        fields.EnsureEnd();
        var consumed = start.Length - reader.Remaining.Length;
        return new BlockHeader
        {
            ParentHash = parentHash,
            OmmersHash = ommersHash,
            Coinbase = coinbase,
            StateRoot = stateRoot,
            TransactionsRoot = txRoot,
            ReceiptsRoot = receiptsRoot,
            LogsBloom = bloom,
            Difficulty = difficulty,
            Number = number,
            GasLimit = gasLimit,
            GasUsed = gasUsed,
            Timestamp = timestamp,
            ExtraData = extra,
            PrevRandao = mixHash,
            Nonce = nonce,
            BaseFeePerGas = baseFee,
            WithdrawalsRoot = withdrawalsRoot,
            BlobGasUsed = blobGasUsed,
            ExcessBlobGas = excessBlobGas,
            ParentBeaconBlockRoot = beaconRoot,
            _hash = Keccak256.Compute(start[..consumed]),
        };
    }
}
