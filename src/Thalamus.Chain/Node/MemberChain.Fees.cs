using Thalamus.Core;

namespace Thalamus.Chain;

public sealed partial class MemberChain
{
    /// <summary>The priority fee suggested to clients (1 gwei, like anvil and geth's dev mode).</summary>
    public static readonly UInt256 DefaultPriorityFee = 1_000_000_000UL;

    /// <summary>eth_maxPriorityFeePerGas.</summary>
    public UInt256 MaxPriorityFeePerGas() => DefaultPriorityFee > Profile.MinGasPrice ? DefaultPriorityFee : Profile.MinGasPrice;

    /// <summary>eth_gasPrice: the next block's base fee plus the suggested priority fee.</summary>
    public UInt256 GasPrice()
    {
        UInt256 baseFee;
        lock (_lock) baseFee = _builder.NextBaseFee(_head);
        var price = baseFee + MaxPriorityFeePerGas();
        return price < Profile.MinGasPrice ? Profile.MinGasPrice : price;
    }

    /// <summary>The base fee the next block will have.</summary>
    public UInt256 NextBaseFee()
    {
        lock (_lock) return _builder.NextBaseFee(_head);
    }

    /// <summary>
    /// eth_feeHistory: up to 1024 blocks ending at <paramref name="newest"/>; rewards are the
    /// gas-weighted percentiles of the blocks' effective priority fees, as geth computes them.
    /// </summary>
    /// <exception cref="ChainException">bad block count or percentiles (-32602), unknown block.</exception>
    public FeeHistory GetFeeHistory(int blockCount, BlockSelector newest, double[] percentiles)
    {
        ArgumentNullException.ThrowIfNull(percentiles);
        if (blockCount < 1) throw new ChainException("blockCount must be at least 1", ChainException.InvalidParamsCode);
        blockCount = Math.Min(blockCount, 1024);
        if (percentiles.Length > 100) throw new ChainException("too many reward percentiles", ChainException.InvalidParamsCode);
        for (var i = 0; i < percentiles.Length; i++)
        {
            if (percentiles[i] < 0 || percentiles[i] > 100 || double.IsNaN(percentiles[i]))
                throw new ChainException($"invalid reward percentile: {percentiles[i]}", ChainException.InvalidParamsCode);
            if (i > 0 && percentiles[i] < percentiles[i - 1])
                throw new ChainException($"invalid reward percentile: #{i - 1}:{percentiles[i - 1]} > #{i}:{percentiles[i]}", ChainException.InvalidParamsCode);
        }
        var last = ResolveHeader(newest) ?? throw HeaderNotFound(newest);
        var oldest = last.Number + 1 >= (ulong)blockCount ? last.Number + 1 - (ulong)blockCount : 0;

        var baseFees = new List<UInt256>();
        var ratios = new List<double>();
        var blobFees = new List<UInt256>();
        var blobRatios = new List<double>();
        var rewards = percentiles.Length > 0 ? new List<IReadOnlyList<UInt256>>() : null;
        BlockHeader? header = null;
        for (var n = oldest; n <= last.Number; n++)
        {
            header = n == last.Number ? last : Store.GetHeader(n) ?? throw new ChainException($"header not found: block {n}");
            baseFees.Add(header.BaseFeePerGas);
            ratios.Add(header.GasLimit == 0 ? 0 : (double)header.GasUsed / header.GasLimit);
            blobFees.Add(header.BlobBaseFee);
            blobRatios.Add((double)header.BlobGasUsed / BlobGas.MaxPerBlock);
            if (rewards is not null) rewards.Add(Rewards(header, percentiles));
        }
        baseFees.Add(_builder.NextBaseFee(header!));
        blobFees.Add(BlobGas.BaseFee(BlobGas.NextExcessBlobGas(header!.ExcessBlobGas, header.BlobGasUsed)));
        return new FeeHistory
        {
            OldestBlock = oldest,
            BaseFeePerGas = baseFees,
            GasUsedRatio = ratios,
            BaseFeePerBlobGas = blobFees,
            BlobGasUsedRatio = blobRatios,
            Reward = rewards,
        };
    }

    private UInt256[] Rewards(BlockHeader header, double[] percentiles)
    {
        var result = new UInt256[percentiles.Length];
        var block = Store.GetBlock(header.Hash);
        if (block is null || block.Transactions.Count == 0 || header.GasUsed == 0) return result;
        var receipts = Store.GetReceipts(header.Hash);
        var tips = new (UInt256 Tip, ulong Gas)[block.Transactions.Count];
        for (var i = 0; i < tips.Length; i++)
        {
            var tx = block.Transactions[i];
            var room = tx.FeeCap > header.BaseFeePerGas ? tx.FeeCap - header.BaseFeePerGas : UInt256.Zero;
            var tip = room < tx.TipCap ? room : tx.TipCap;
            tips[i] = (tip, i < receipts.Count ? receipts[i].GasUsed : 0);
        }
        Array.Sort(tips, (a, b) => a.Tip.CompareTo(b.Tip));
        var index = 0;
        var sum = tips[0].Gas;
        for (var p = 0; p < percentiles.Length; p++)
        {
            var threshold = (ulong)(header.GasUsed * percentiles[p] / 100);
            while (sum < threshold && index < tips.Length - 1)
            {
                index++;
                sum += tips[index].Gas;
            }
            result[p] = tips[index].Tip;
        }
        return result;
    }
}
