using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Modules;

namespace Thalamus.Rtc;

/// <summary>
/// The module's side of the cluster address book (ThalamusAddressBook at 0x…33): it follows every chain's
/// registrations (<c>Registered</c>) and replays each on every other chain (<c>replicate</c>, in nonce order per
/// origin, signed by the module's system account), knows which replays each chain has applied
/// (<c>Replicated</c>), and answers names for <c>thalamus_resolveName</c>. Rebuilt from the chains' logs at start.
/// </summary>
internal sealed class AddressBook
{
    public static readonly Hash256 Registered = Abi.EventTopic("Registered(bytes32,uint256,address,string,address,uint64)");
    public static readonly Hash256 Replicated = Abi.EventTopic("Replicated(uint256,uint64)");
    private static readonly AbiSelector Replicate = Abi.Selector("replicate(uint256,uint64,string,address,address)");

    /// <summary>Gas of one replicate transaction (intrinsic, the name's storage, both maps, the event).</summary>
    public const ulong ReplicateGas = 200_000;
    private const int MaxPerBlock = 16;

    private readonly SortedDictionary<ulong, SortedDictionary<ulong, Op>> _ops = [];
    private readonly Dictionary<(ulong Chain, ulong Origin), ulong> _applied = [];
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public sealed record Op(string Name, Address Target, Address Owner);

    public sealed record Entry(string Name, ulong ChainId, Address Target, Address Owner);

    public void Clear()
    {
        _ops.Clear();
        _applied.Clear();
        _entries.Clear();
    }

    /// <summary>A log of the book on <paramref name="chainId"/>.</summary>
    public void Follow(ulong chainId, LogRecord log)
    {
        if (log.Address != RtcPredeploys.AddressBook || log.Topics.Count == 0) return;
        try
        {
            if (log.Topics[0] == Registered && log.Topics.Count == 4)
            {
                var data = new AbiReader(log.Data);
                var origin = (ulong)log.Topics[2].ToUInt256();
                var op = new Op(data.String(0), Address.FromUInt256(log.Topics[3].ToUInt256()), data.Address(1));
                if (!_ops.TryGetValue(origin, out var ops)) _ops[origin] = ops = [];
                ops[data.UInt64(2)] = op;
                // The rule every chain applies: the lower chain id keeps a name registered on two chains.
                if (!_entries.TryGetValue(op.Name, out var entry) || entry.ChainId == origin || origin < entry.ChainId)
                    _entries[op.Name] = new Entry(op.Name, origin, op.Target, op.Owner);
            }
            else if (log.Topics[0] == Replicated && log.Topics.Count == 2)
            {
                var origin = (ulong)log.Topics[1].ToUInt256();
                var applied = new AbiReader(log.Data).UInt64(0);
                if (applied > _applied.GetValueOrDefault((chainId, origin))) _applied[(chainId, origin)] = applied;
            }
        }
        catch (AbiException)
        {
        }
    }

    public Entry? Resolve(string name) => _entries.GetValueOrDefault(name);

    public string? NameOf(ulong chainId, Address target)
    {
        foreach (var entry in _entries.Values)
            if (entry.ChainId == chainId && entry.Target == target) return entry.Name;
        return null;
    }

    public bool HasPendingWork(ulong chainId)
    {
        foreach (var (origin, ops) in _ops)
            if (origin != chainId && ops.Count > 0 && ops.Keys.Max() > _applied.GetValueOrDefault((chainId, origin))) return true;
        return false;
    }

    /// <summary>The next replays for <paramref name="request"/>'s chain, within its gas budget.</summary>
    public List<PooledTransaction> Propose(SystemTransactionRequest request)
    {
        var chain = request.Chain;
        var proposed = new List<PooledTransaction>();
        var budget = request.GasBudget;
        ulong nonce = 0;
        foreach (var (origin, ops) in _ops)
        {
            if (origin == chain.ChainId) continue;
            var next = _applied.GetValueOrDefault((chain.ChainId, origin)) + 1;
            while (ops.TryGetValue(next, out var op) && budget >= ReplicateGas && proposed.Count < MaxPerBlock)
            {
                if (proposed.Count == 0) nonce = RtcPredeploys.Account.NonceOn(chain);
                var data = Abi.EncodeCall(Replicate, origin, next, AbiValue.String(op.Name), op.Target, op.Owner);
                proposed.Add(RtcPredeploys.Account.Sign(chain.ChainId, nonce++, RtcPredeploys.AddressBook, data, ReplicateGas, request.BaseFee));
                budget -= ReplicateGas;
                next++;
            }
        }
        return proposed;
    }
}
