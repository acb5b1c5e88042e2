using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Settlement;

/// <summary>
/// How a verifier re-executes member-chain blocks: the native contracts of a chain and, for a block with a
/// cluster section, its replay (the calls it received and the results its calls got). The CLI passes the
/// cluster's (<c>ClusterReplayer.PrepareReplay</c>, <c>ClusterReplayer.DefaultNativeContracts</c>); this project
/// does not reference Thalamus.Cluster.
/// </summary>
public sealed class ReplayRules
{
    public required Func<ulong, NativeContracts> NativeContracts { get; init; }

    public required Func<Block, BlockReplay?> PrepareReplay { get; init; }
}

/// <summary>
/// One member chain re-derived by a verifier: its state on an in-memory trie store (every committed root stays
/// readable, so it can go back to an earlier head), its head and its block hashes, advanced block by block with
/// the shared <see cref="BlockExecution"/>.
/// </summary>
internal sealed class ChainReplica
{
    private readonly IKeyValueStore _nodes;
    private readonly Dictionary<ulong, Hash256> _hashes = [];
    private readonly BlockBuilder _builder;
    private readonly ReplayRules _rules;
    private readonly TransactionProcessor _processor = new();
    private WorldState _state;

    /// <param name="nodes">Where the trie nodes go (a verifier's shared, possibly persisted store); a new in-memory one by default.</param>
    public ChainReplica(ChainSpec spec, ReplayRules rules, IKeyValueStore? nodes = null)
    {
        Spec = spec;
        _rules = rules;
        _nodes = nodes ?? new MemoryKeyValueStore();
        _state = new WorldState(_nodes);
        var genesis = BlockBuilder.BuildGenesis(spec.Genesis, _state);
        Head = genesis.Header;
        _hashes[0] = genesis.Hash;
        _builder = new BlockBuilder(spec.Profile) { NativeContracts = rules.NativeContracts(spec.Profile.ChainId) };
    }

    /// <summary>A replica resumed at <paramref name="head"/> (its state's nodes are in <paramref name="nodes"/>), with the block hashes it knew.</summary>
    public ChainReplica(ChainSpec spec, ReplayRules rules, IKeyValueStore nodes, BlockHeader head, IReadOnlyDictionary<ulong, Hash256> hashes)
    {
        Spec = spec;
        _rules = rules;
        _nodes = nodes;
        Head = head;
        foreach (var (number, hash) in hashes) _hashes[number] = hash;
        _state = new WorldState(_nodes, head.StateRoot);
        _builder = new BlockBuilder(spec.Profile) { NativeContracts = rules.NativeContracts(spec.Profile.ChainId) };
    }

    public ChainSpec Spec { get; }

    /// <summary>The hashes of the blocks up to the head, by number (BLOCKHASH; the verifier's saved place).</summary>
    public IReadOnlyDictionary<ulong, Hash256> Hashes => _hashes;

    public BlockHeader Head { get; private set; }

    /// <summary>Re-executes <paramref name="block"/> on the head; null and the head moves on when its header holds, else what differs (the head stays).</summary>
    public string? Execute(Block block, out IReadOnlyList<Receipt> receipts, out ulong gasUsed)
    {
        receipts = [];
        gasUsed = 0;
        var header = block.Header;
        var error = Run(block, header, out receipts, out gasUsed);
        if (error is not null)
        {
            _state = new WorldState(_nodes, Head.StateRoot);
            return $"chain {Spec.Profile.ChainId} block {header.Number}: {error}";
        }
        Head = header;
        _hashes[header.Number] = header.Hash;
        return null;
    }

    /// <summary>Goes back to <paramref name="head"/> (a header this replica executed before).</summary>
    public void Reset(BlockHeader head)
    {
        foreach (var number in _hashes.Keys.Where(n => n > head.Number).ToList()) _hashes.Remove(number);
        Head = head;
        _state = new WorldState(_nodes, head.StateRoot);
    }

    private string? Run(Block block, BlockHeader header, out IReadOnlyList<Receipt> receipts, out ulong gasUsed)
    {
        receipts = [];
        gasUsed = 0;
        if (header.Number != Head.Number + 1) return $"number follows {Head.Number}";
        if (header.ParentHash != Head.Hash) return $"parent hash {header.ParentHash} is not block {Head.Number}'s hash {Head.Hash}";
        if (header.Timestamp < Head.Timestamp) return $"timestamp {header.Timestamp} is before its parent's {Head.Timestamp}";
        if (block.ClusterSection is { } section)
        {
            if (!Keccak256.Compute(section).Bytes.SequenceEqual(header.ExtraData)) return "extra data is not the cluster section's hash";
        }
        else if (header.ExtraData.Length != 0)
        {
            return "extra data but no cluster section";
        }
        BlockReplay? replay;
        try
        {
            replay = block.ClusterSection is null ? null : _rules.PrepareReplay(block);
        }
        catch (RlpException e)
        {
            return "malformed cluster section: " + e.Message;
        }
        var context = _builder.CreateContext(Head, header.Timestamp, n => _hashes.GetValueOrDefault(n));
        // The block's own gas limit (a governance decision or a dev setter changes it between blocks), as ClusterReplayer does.
        context.GasLimit = (long)Math.Min(header.GasLimit, long.MaxValue);
        if (context.BaseFee != header.BaseFeePerGas) return $"base fee {header.BaseFeePerGas} is not the rule's {context.BaseFee}";
        context.CrossChainCalls = replay?.CrossChainCalls;
        replay?.ApplyInbound?.Invoke(_state, context);
        var execution = new BlockExecution(_processor, _state, context);
        for (var i = 0; i < block.Transactions.Count; i++)
        {
            var tx = block.Transactions[i];
            Address sender;
            try
            {
                sender = tx.RecoverSender();
            }
            catch (InvalidSignatureException e)
            {
                return $"transaction {i}: {e.Message}";
            }
            var result = execution.Apply(tx, sender);
            if (!result.IsValid) return $"transaction {i} ({tx.Hash}) is invalid: {result.Error}";
        }
        var executed = execution.Finish();
        var differences = executed.Differences(header);
        receipts = executed.Receipts;
        gasUsed = executed.GasUsed;
        return differences.Count == 0 ? null : string.Join("; ", differences);
    }
}
