using System.Text;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.Modules;
using Thalamus.Rpc;

namespace Thalamus.Governance;

/// <summary>
/// The governance module (issue 16, docs/governance.md): puts Hermes on every chain and the governance
/// contracts on the home chain at genesis, reads the decisions the Agora executes (ClusterDecisions'
/// events) at each committed slot and carries them out between slots (admission and removal through the
/// seam's <see cref="IClusterHost.RequestMembershipChange"/>, profile scores, parameters and upgrades into
/// its index), proposes the Pythia reports as system transactions, and serves <c>governance_*</c>.
/// Its index is rebuilt from the home chain at start (the events are the record), and the membership the
/// decisions imply is restored then.
/// </summary>
public sealed partial class GovernanceModule(GovernanceOptions options) : ISystemTransactionSource
{
    public const string ModuleName = "governance";

    /// <summary>Gas of one Pythia report.</summary>
    public const ulong ReportGasLimit = 120_000;

    private readonly List<GovernanceDecision> _decisions = [];
    private readonly Dictionary<(ulong Chain, Hash256 Key), UInt256> _scores = [];
    private readonly Dictionary<Hash256, UInt256> _parameters = [];
    private readonly Queue<(Address Operator, uint UptimeSeconds, ushort ReliabilityBps)> _reports = new();
    private readonly Dictionary<Address, GovernanceDecision> _latestUpgrade = [];
    private readonly Dictionary<(ulong Chain, int Decision), string> _unfit = [];
    private readonly Lock _indexLock = new();
    private IClusterHost? _host;

    public string Name => ModuleName;

    public GovernanceOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>A decision's state changed (carried out or refused); under the cluster's lock.</summary>
    public event Action<GovernanceDecision>? DecisionChanged;

    public IReadOnlyList<GovernanceDecision> Decisions
    {
        get { lock (_indexLock) return [.. _decisions]; }
    }

    /// <summary>A chain's profile score as carried out (null: never set).</summary>
    public UInt256? ProfileScore(ulong chainId, Hash256 key)
    {
        lock (_indexLock) return _scores.TryGetValue((chainId, key), out var value) ? value : null;
    }

    /// <summary>A security-relevant parameter in force (null: never set by a decision).</summary>
    public UInt256? Parameter(Hash256 key)
    {
        lock (_indexLock) return _parameters.TryGetValue(key, out var value) ? value : null;
    }

    /// <summary>
    /// The Agora's session at the home chain's head, read from <c>AgoraGovernor.currentSession()</c> (the contract is the
    /// one source of the calendar); null when governance is off or the cluster is not attached.
    /// </summary>
    public AgoraSession? Session()
    {
        if (_host is null || Home(_host) is not { } home) return null;
        var result = home.Call(new CallRequest { To = GovernanceContracts.Governor, Data = Abi.Call("currentSession()"), Gas = 1_000_000 }, BlockSelector.Latest);
        if (!result.Success || result.ReturnData.Length < 160) return null;
        var r = new AbiReader(result.ReturnData);
        return new AgoraSession(r.UInt64(0), r.UInt64(1), r.UInt64(2), r.UInt64(3), r.Bool(4));
    }

    /// <summary>
    /// Queues a Pythia's 7-day uptime and reliability (from the DDPN validators) for the home chain's next
    /// block, signed by the governance account (the only reporter AthenaStaking accepts).
    /// </summary>
    public void ReportPythia(Address pythia, uint uptimeSeconds, ushort reliabilityBps)
    {
        lock (_indexLock) _reports.Enqueue((pythia, uptimeSeconds, reliabilityBps));
    }

    public IEnumerable<KeyValuePair<Address, GenesisAccount>> GenesisAllocations(ulong chainId, ulong genesisTimestamp) => GovernanceGenesis.Allocations(Options, chainId, genesisTimestamp);

    public IEnumerable<KeyValuePair<string, Address>> NamedPredeploys => GovernanceContracts.Named(Options.Enabled);

    public void Attach(IClusterHost host)
    {
        _host = host;
        Rebuild(afterRollback: false);
    }

    /// <summary>
    /// The index from the home chain as it is (the events are the record), and what the decisions imply carried out again: the
    /// membership (a chain admitted before a restart is not in the configuration), scores, parameters (Delta through the cluster,
    /// gas limits onto the chains) and upgrades. At start, and after a rollback that discarded home-chain blocks
    /// (<see cref="RolledBack"/>): then a decision read again keeps its activation slot, and a member no decision wants any more
    /// (admitted by a discarded one) is removed.
    /// </summary>
    private void Rebuild(bool afterRollback)
    {
        var host = _host!;
        var home = Home(host);
        if (home is null) return;
        List<GovernanceDecision> previous;
        lock (_indexLock)
        {
            previous = [.. _decisions];
            _decisions.Clear();
            _scores.Clear();
            _parameters.Clear();
            _latestUpgrade.Clear();
            _unfit.Clear();
        }
        for (ulong number = 1; number <= home.Head.Number; number++)
            if (home.GetBlockReceipts(BlockSelector.FromNumber(number)) is { } receipts)
                Read(receipts, slot: 0);
        // The membership the decisions imply (a chain admitted before a restart is not in the configuration).
        var members = host.Chains.Select(c => c.ChainId).ToHashSet();
        var wanted = new HashSet<ulong>(Options.InitialChains);
        lock (_indexLock)
        {
            foreach (var decision in _decisions)
            {
                if (previous.ElementAtOrDefault(decision.Index) is { } before && before.Transaction == decision.Transaction && before.Block == decision.Block)
                    decision.ActivationSlot = before.ActivationSlot;
                if (decision.Kind == DecisionKind.Admission) wanted.Add(decision.ChainId);
                else if (decision.Kind == DecisionKind.Removal) wanted.Remove(decision.ChainId);
            }
            foreach (var decision in _decisions)
            {
                // Scores, parameters and upgrades are carried again below (into the index, onto the chains).
                if (decision.Kind is not (DecisionKind.Admission or DecisionKind.Removal)) continue;
                var member = members.Contains(decision.ChainId);
                var carried = decision.Kind == DecisionKind.Admission ? member || !wanted.Contains(decision.ChainId) : !member;
                if (carried) decision.Status = DecisionStatus.Carried;
            }
        }
        foreach (var pending in Decisions.Where(d => d.Status == DecisionStatus.Pending)) Carry(pending);
        if (afterRollback)
        {
            // A chain a discarded decision admitted: no kept decision wants it.
            foreach (var chain in members)
                if (!wanted.Contains(chain) && previous.Any(d => d.Kind == DecisionKind.Admission && d.ChainId == chain)
                    && !Decisions.Any(d => d.Kind is DecisionKind.Admission or DecisionKind.Removal && d.ChainId == chain))
                    host.RequestMembershipChange(new MembershipChange { ChainId = chain, Remove = true });
        }
        SettleUpgrades();
        ApplyGasLimits();
    }

    public IEnumerable<NativeContract> NativeContracts(ulong chainId) => Options.Enabled ? [GovernanceUpgrader.Instance] : [];

    public IReadOnlyList<PooledTransaction> ProposeSystemTransactions(SystemTransactionRequest request)
    {
        if (!Options.Enabled) return [];
        lock (_indexLock)
        {
            var upgrades = OutstandingUpgrades(request.Chain);
            var home = request.Chain.ChainId == Options.HomeChainId;
            if ((!home || _reports.Count == 0) && upgrades.Count == 0) return [];
            var proposed = new List<PooledTransaction>();
            var nonce = GovernanceContracts.Account.NonceOn(request.Chain);
            var gas = 0UL;
            // Approved upgrades first: they take effect at the start of the slot after the approval.
            foreach (var upgrade in upgrades)
            {
                var limit = GovernanceUpgrader.TransactionGas(upgrade.Code!.Length);
                if (limit > request.GasBudget)
                {
                    _unfit[(request.Chain.ChainId, upgrade.Index)] = $"the upgrade's {upgrade.Code.Length} bytes of code need {limit} gas, more than the governance's {request.GasBudget} gas of a block on chain {request.Chain.ChainId}";
                    continue;
                }
                if (gas + limit > request.GasBudget) break;
                var data = Abi.Call("upgrade(address,bytes,bytes32)", upgrade.Target, AbiValue.Bytes(upgrade.Code), upgrade.Change);
                proposed.Add(GovernanceContracts.Account.Sign(request.Chain.ChainId, nonce++, GovernanceContracts.Upgrader, data, limit, request.BaseFee));
                gas += limit;
            }
            while (home && _reports.Count > 0 && gas + ReportGasLimit <= request.GasBudget)
            {
                var (pythia, uptime, reliability) = _reports.Dequeue();
                _sentReports[pythia] = (request.Parent.Number + 1, uptime, reliability);
                var data = Abi.Call("report(address,uint32,uint16)", pythia, (ulong)uptime, (ulong)reliability);
                proposed.Add(GovernanceContracts.Account.Sign(request.Chain.ChainId, nonce++, GovernanceContracts.Staking, data, ReportGasLimit, request.BaseFee));
                gas += ReportGasLimit;
            }
            return proposed;
        }
    }

    public bool HasPendingWork(MemberChain chain)
    {
        if (!Options.Enabled) return false;
        lock (_indexLock) return (chain.ChainId == Options.HomeChainId && _reports.Count > 0) || OutstandingUpgrades(chain).Count > 0;
    }

    /// <summary>
    /// The upgrades <paramref name="chain"/> has still to apply: per target, the latest approved upgrade, when the target has
    /// code on the chain (a predeploy there) that is not the upgrade's and the code fits the governance's gas share.
    /// Derived from the chain's state, so a restart, a rollback or an admitted chain need no bookkeeping. Under the index lock.
    /// </summary>
    private List<GovernanceDecision> OutstandingUpgrades(MemberChain chain)
    {
        if (_latestUpgrade.Count == 0) return [];
        List<GovernanceDecision>? outstanding = null;
        foreach (var upgrade in _latestUpgrade.Values)
        {
            if (_unfit.ContainsKey((chain.ChainId, upgrade.Index))) continue;
            // Hashes, not code: no copy per block (Key is the code's Keccak-256; an account without code has the empty hash).
            var current = chain.LiveState.GetCodeHash(upgrade.Target);
            if (current == upgrade.Key || current == Keccak256.OfEmpty || current == Hash256.Zero) continue;
            (outstanding ??= []).Add(upgrade);
        }
        return outstanding ?? [];
    }

    /// <summary>Upgrades pending: carried once every member chain where the target has code has the new code, refused when it cannot fit a block.</summary>
    private void SettleUpgrades()
    {
        if (_host is null) return;
        List<(GovernanceDecision Decision, string? Refusal)>? settled = null;
        lock (_indexLock)
        {
            foreach (var decision in _decisions)
            {
                if (decision.Kind != DecisionKind.Upgrade || decision.Status != DecisionStatus.Pending) continue;
                string? refusal = null;
                var done = true;
                if (!_latestUpgrade.TryGetValue(decision.Target, out var latest) || latest != decision)
                {
                    // A later upgrade of the same target replaced it before every chain had it.
                    refusal = $"superseded by decision {latest?.Index} (a later upgrade of {decision.Target})";
                }
                else
                {
                    foreach (var chain in _host.Chains)
                    {
                        if (_unfit.TryGetValue((chain.ChainId, decision.Index), out var reason)) { refusal = reason; break; }
                        var current = chain.GetCode(decision.Target, BlockSelector.Latest);
                        if (current.Length != 0 && !current.AsSpan().SequenceEqual(decision.Code)) { done = false; break; }
                    }
                }
                if (refusal is not null || done) (settled ??= []).Add((decision, refusal));
            }
        }
        foreach (var (decision, refusal) in settled ?? []) Settle(decision, refusal);
    }

    public void SlotCommitted(CommittedSlot slot)
    {
        if (!Options.Enabled) return;
        List<GovernanceDecision>? fresh = null;
        foreach (var block in slot.Blocks)
        {
            if (block.Chain.ChainId != Options.HomeChainId) continue;
            var added = Read(block.Built.Receipts, slot.Slot + 1);
            if (added.Count > 0) (fresh ??= []).AddRange(added);
        }
        foreach (var decision in fresh ?? []) Carry(decision);
        SettleUpgrades();
        ApplyGasLimits();
    }

    private bool IsGasLimitKey(Hash256 key) =>
        key == GovernanceParameters.GasLimit || (_host?.Chains.Any(c => GovernanceParameters.GasLimitOf(c.ChainId) == key) ?? false);

    /// <summary>
    /// The gas limit decisions in force, applied between slots to every member chain (its own key, else the cluster's): the
    /// blocks sealed from the next slot on carry the new limit in their headers, which is what a replay and a verifier use.
    /// Run after every slot, so a chain admitted later and a restart (the index rebuilt from the home chain) follow too.
    /// </summary>
    private void ApplyGasLimits()
    {
        if (_host is null) return;
        lock (_indexLock)
        {
            if (_parameters.Count == 0) return;
            foreach (var chain in _host.Chains)
            {
                if (!_parameters.TryGetValue(GovernanceParameters.GasLimitOf(chain.ChainId), out var value)
                    && !_parameters.TryGetValue(GovernanceParameters.GasLimit, out value)) continue;
                if (GovernanceParameters.CheckGasLimit(value) is not null) continue;
                if (chain.BlockGasLimit != (ulong)value) chain.SetBlockGasLimit((ulong)value);
            }
        }
    }

    /// <summary>Carries out one decision: membership through the host (between slots), the rest in the index at once.</summary>
    private void Carry(GovernanceDecision decision)
    {
        switch (decision.Kind)
        {
            case DecisionKind.Admission:
            case DecisionKind.Removal:
                if (_host is null) return;
                try
                {
                    _host.RequestMembershipChange(new MembershipChange
                    {
                        ChainId = decision.ChainId,
                        Remove = decision.Kind == DecisionKind.Removal,
                        Name = decision.Name,
                        BlockTime = TimeSpan.FromMilliseconds(decision.BlockTimeMs),
                        GasLimit = decision.GasLimit == 0 ? 30_000_000 : decision.GasLimit,
                        Completed = (_, refusal) => Settle(decision, refusal),
                    });
                }
                catch (NotSupportedException e)
                {
                    Settle(decision, e.Message);
                }
                return;
            case DecisionKind.ProfileScore:
                lock (_indexLock) _scores[(decision.ChainId, decision.Key)] = decision.Value;
                break;
            case DecisionKind.Parameter when decision.Key == GovernanceParameters.Delta:
                CarryDelta(decision);
                return;
            case DecisionKind.Parameter:
                if (IsGasLimitKey(decision.Key) && GovernanceParameters.CheckGasLimit(decision.Value) is { } refusal)
                {
                    Settle(decision, refusal);
                    return;
                }
                lock (_indexLock) _parameters[decision.Key] = decision.Value;
                ApplyGasLimits();
                break;
            case DecisionKind.Upgrade:
                // Applied by system transactions at the next slot (ProposeSystemTransactions); carried once every chain has it.
                return;
        }
        Settle(decision, null);
    }

    /// <summary>
    /// A Delta decision: the cluster takes it between slots, from the decision's activation slot, for the sends from then on
    /// (or refuses it: shorter than a member's block time); it is in the index (<see cref="Parameter"/>) once in force.
    /// </summary>
    private void CarryDelta(GovernanceDecision decision)
    {
        if (_host is null) return;
        if (GovernanceParameters.DeltaOf(decision.Value) is not { } delta)
        {
            Settle(decision, $"a Delta of {decision.Value} ms is not a duration");
            return;
        }
        try
        {
            _host.RequestDeltaChange(new DeltaChange
            {
                Delta = delta,
                ActivationSlot = decision.ActivationSlot,
                Completed = (_, refusal) =>
                {
                    if (refusal is null)
                        lock (_indexLock) _parameters[decision.Key] = decision.Value;
                    Settle(decision, refusal);
                },
            });
        }
        catch (NotSupportedException e)
        {
            Settle(decision, e.Message);
        }
    }

    private void Settle(GovernanceDecision decision, string? refusal)
    {
        lock (_indexLock)
        {
            decision.Status = refusal is null ? DecisionStatus.Carried : DecisionStatus.Refused;
            decision.Reason = refusal;
        }
        DecisionChanged?.Invoke(decision);
    }

    /// <summary>Indexes the decisions in one home-chain block's receipts; returns the new ones.</summary>
    private List<GovernanceDecision> Read(IReadOnlyList<TransactionReceipt> receipts, ulong slot)
    {
        var added = new List<GovernanceDecision>();
        foreach (var receipt in receipts)
        {
            if (!receipt.Success) continue;
            foreach (var log in receipt.Logs)
            {
                if (log.Address != GovernanceContracts.Decisions || log.Topics.Count == 0) continue;
                if (Decode(log, slot) is not { } decision) continue;
                lock (_indexLock)
                {
                    decision = Renumber(decision, _decisions.Count);
                    _decisions.Add(decision);
                    if (decision.Kind == DecisionKind.Upgrade && decision.Code is { Length: > 0 and <= GovernanceUpgrader.MaxCodeSize }) _latestUpgrade[decision.Target] = decision;
                }
                added.Add(decision);
            }
        }
        return added;
    }

    private static GovernanceDecision Renumber(GovernanceDecision d, int index) => new()
    {
        Index = index, Kind = d.Kind, Block = d.Block, Transaction = d.Transaction, ActivationSlot = d.ActivationSlot, ChainId = d.ChainId,
        BlockTimeMs = d.BlockTimeMs, GasLimit = d.GasLimit, Name = d.Name, Key = d.Key, Value = d.Value, Target = d.Target, Change = d.Change, Code = d.Code,
    };

    private static GovernanceDecision? Decode(LogRecord log, ulong slot)
    {
        var topic = log.Topics[0];
        var data = log.Data;
        ulong Topic64(int i) => (ulong)log.Topics[i].ToUInt256();
        UInt256 Word(int i) => UInt256.FromBigEndian(data.AsSpan(32 * i, 32));
        if (topic == DecisionEvents.ChainAdmitted && log.Topics.Count == 2 && data.Length >= 128)
        {
            var offset = (int)(ulong)Word(2);
            var length = (int)(ulong)UInt256.FromBigEndian(data.AsSpan(offset, 32));
            return new GovernanceDecision
            {
                Index = 0, Kind = DecisionKind.Admission, Block = log.BlockNumber, Transaction = log.TransactionHash, ActivationSlot = slot,
                ChainId = Topic64(1), BlockTimeMs = (ulong)Word(0), GasLimit = (ulong)Word(1),
                Name = length == 0 ? null : Encoding.UTF8.GetString(data, offset + 32, length),
            };
        }
        if (topic == DecisionEvents.ChainRemoved && log.Topics.Count == 2)
            return new GovernanceDecision { Index = 0, Kind = DecisionKind.Removal, Block = log.BlockNumber, Transaction = log.TransactionHash, ActivationSlot = slot, ChainId = Topic64(1) };
        if (topic == DecisionEvents.ProfileScoreSet && log.Topics.Count == 3 && data.Length >= 32)
            return new GovernanceDecision
            {
                Index = 0, Kind = DecisionKind.ProfileScore, Block = log.BlockNumber, Transaction = log.TransactionHash, ActivationSlot = slot,
                ChainId = Topic64(1), Key = log.Topics[2], Value = Word(0),
            };
        if (topic == DecisionEvents.ParameterChanged && log.Topics.Count == 2 && data.Length >= 64)
            return new GovernanceDecision
            {
                Index = 0, Kind = DecisionKind.Parameter, Block = log.BlockNumber, Transaction = log.TransactionHash, ActivationSlot = slot,
                Key = log.Topics[1], Value = Word(0), Change = new Hash256(data.AsSpan(32, 32)),
            };
        if (topic == DecisionEvents.UpgradeApproved && log.Topics.Count == 3 && data.Length >= 96)
        {
            var offset = (int)(ulong)Word(1);
            var length = (int)(ulong)UInt256.FromBigEndian(data.AsSpan(offset, 32));
            return new GovernanceDecision
            {
                Index = 0, Kind = DecisionKind.Upgrade, Block = log.BlockNumber, Transaction = log.TransactionHash, ActivationSlot = slot,
                Target = Address.FromUInt256(log.Topics[1].ToUInt256()), Key = log.Topics[2], Change = new Hash256(data.AsSpan(0, 32)),
                Code = data.AsSpan(offset + 32, length).ToArray(),
            };
        }
        return null;
    }

    private MemberChain? Home(IClusterHost host) =>
        Options.Enabled ? host.Chains.FirstOrDefault(c => c.ChainId == Options.HomeChainId) : null;

    public void RegisterRpcMethods(RpcMethodRegistry registry)
    {
        registry.Add("governance_status", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            p.End();
            WriteStatus(w);
        });
        registry.Add("governance_decisions", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            var from = p.ReadOptionalFlexibleUInt64("fromIndex") ?? 0;
            p.End();
            w.WriteStartArray();
            foreach (var decision in Decisions.Where(d => (ulong)d.Index >= from)) WriteDecision(w, decision);
            w.WriteEndArray();
        });
        registry.Add("governance_profileScore", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            var chain = p.ReadFlexibleUInt64("chainId");
            var key = p.ReadHash("key");
            p.End();
            if (ProfileScore(chain, key) is { } value) w.WriteQuantity(value);
            else w.WriteNullValue();
        });
    }

    private void WriteStatus(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteBoolean("enabled", Options.Enabled);
        w.WritePropertyName("homeChainId");
        w.WriteQuantity(Options.HomeChainId);
        w.WritePropertyName("members");
        w.WriteStartArray();
        foreach (var chain in _host?.Chains ?? []) w.WriteQuantity(chain.ChainId);
        w.WriteEndArray();
        w.WritePropertyName("contracts");
        w.WriteStartObject();
        foreach (var (name, address) in NamedPredeploys)
        {
            w.WritePropertyName(name);
            w.WriteAddress(address);
        }
        w.WriteEndObject();
        w.WritePropertyName("decisions");
        w.WriteQuantity((ulong)Decisions.Count);
        if (Session() is { } session)
        {
            w.WritePropertyName("session");
            w.WriteStartObject();
            w.WriteQuantity(Json.Number, session.Number);
            w.WriteQuantity(Json.Start, session.Start);
            w.WriteQuantity(Json.ProposalsUntil, session.ProposalsUntil);
            w.WriteQuantity(Json.End, session.End);
            w.WriteBoolean("open", session.Open);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>The property names of a decision's JSON (<c>governance_decisions</c>).</summary>
    private static class Json
    {
        public static readonly JsonEncodedText ActivationSlot = JsonEncodedText.Encode("activationSlot");
        public static readonly JsonEncodedText Block = JsonEncodedText.Encode("block");
        public static readonly JsonEncodedText BlockTimeMs = JsonEncodedText.Encode("blockTimeMs");
        public static readonly JsonEncodedText ChainId = JsonEncodedText.Encode("chainId");
        public static readonly JsonEncodedText Change = JsonEncodedText.Encode("change");
        public static readonly JsonEncodedText CodeHash = JsonEncodedText.Encode("codeHash");
        public static readonly JsonEncodedText CodeSize = JsonEncodedText.Encode("codeSize");
        public static readonly JsonEncodedText GasLimit = JsonEncodedText.Encode("gasLimit");
        public static readonly JsonEncodedText Index = JsonEncodedText.Encode("index");
        public static readonly JsonEncodedText Key = JsonEncodedText.Encode("key");
        public static readonly JsonEncodedText Target = JsonEncodedText.Encode("target");
        public static readonly JsonEncodedText TransactionHash = JsonEncodedText.Encode("transactionHash");
        public static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
        public static readonly JsonEncodedText Number = JsonEncodedText.Encode("number");
        public static readonly JsonEncodedText Start = JsonEncodedText.Encode("start");
        public static readonly JsonEncodedText ProposalsUntil = JsonEncodedText.Encode("proposalsUntil");
        public static readonly JsonEncodedText End = JsonEncodedText.Encode("end");
    }

    private static void WriteDecision(Utf8JsonWriter w, GovernanceDecision d)
    {
        w.WriteStartObject();
        w.WriteQuantity(Json.Index, (ulong)d.Index);
        w.WriteString("kind", d.Kind.ToString().ToLowerInvariant());
        w.WriteString("status", d.Status.ToString().ToLowerInvariant());
        if (d.Reason is not null) w.WriteString("reason", d.Reason);
        w.WriteQuantity(Json.Block, d.Block);
        w.WriteHash(Json.TransactionHash, d.Transaction);
        w.WriteQuantity(Json.ActivationSlot, d.ActivationSlot);
        switch (d.Kind)
        {
            case DecisionKind.Admission:
                w.WriteQuantity(Json.ChainId, d.ChainId);
                w.WriteQuantity(Json.BlockTimeMs, d.BlockTimeMs);
                w.WriteQuantity(Json.GasLimit, d.GasLimit);
                if (d.Name is not null) w.WriteString("name", d.Name);
                break;
            case DecisionKind.Removal:
                w.WriteQuantity(Json.ChainId, d.ChainId);
                break;
            case DecisionKind.ProfileScore:
                w.WriteQuantity(Json.ChainId, d.ChainId);
                w.WriteHash(Json.Key, d.Key);
                w.WriteQuantity(Json.Value, d.Value);
                break;
            case DecisionKind.Parameter:
                w.WriteHash(Json.Key, d.Key);
                w.WriteQuantity(Json.Value, d.Value);
                w.WriteHash(Json.Change, d.Change);
                break;
            case DecisionKind.Upgrade:
                w.WriteAddress(Json.Target, d.Target);
                w.WriteHash(Json.CodeHash, d.Key);
                w.WriteQuantity(Json.CodeSize, (ulong)(d.Code?.Length ?? 0));
                w.WriteHash(Json.Change, d.Change);
                break;
        }
        w.WriteEndObject();
    }
}

/// <summary>
/// An Agora session (AgoraGovernor.currentSession): its number (1 = the first), its start, the end of its proposal window,
/// its end (= the next session's start), and whether proposals are admitted now. Times are the home chain's seconds.
/// </summary>
public sealed record AgoraSession(ulong Number, ulong Start, ulong ProposalsUntil, ulong End, bool Open);
