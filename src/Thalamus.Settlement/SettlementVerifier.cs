using System.Diagnostics;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Settlement;

/// <summary>What a verifier concluded about one batch.</summary>
/// <param name="BadLeaf">The leaf a challenge opens (the first block that does not hold), when the batch is invalid.</param>
public sealed record BatchVerdict(ulong Index, ulong FirstSlot, ulong LastSlot, bool Valid, int? BadLeaf, string? Reason);

/// <summary>A verifier's progress, as its status endpoint and <c>settlement_verifierStatus</c> show it.</summary>
public sealed record VerifierStatus
{
    public ulong ParentBlock { get; init; }
    public ulong BatchesChecked { get; init; }
    public ulong BatchesValid { get; init; }
    public ulong BatchesInvalid { get; init; }
    public ulong NextSlot { get; init; }
    public ulong BlocksExecuted { get; init; }
    public ulong GasExecuted { get; init; }
    public double ExecutionSeconds { get; init; }
    public ulong ChallengesSent { get; init; }
    public ulong VotesSent { get; init; }
    public IReadOnlyDictionary<ulong, ulong> ChainHeads { get; init; } = new Dictionary<ulong, ulong>();
    public BatchVerdict? LastVerdict { get; init; }
    public string? LastError { get; init; }
}

/// <summary>
/// Follows a settlement contract from the parent chain's data alone: reads every assertion's calldata, rebuilds
/// the member chains from the genesis section (checked against the contract's commitment), re-executes every
/// block with the shared block executor, and checks each leaf and the message root. With a challenger key it
/// challenges the first block of a false batch; with an arbiter key it rules on challenges by its own verdict.
/// After a batch is rejected and its slots asserted again, it goes back to the heads before it. Data it cannot
/// decode makes the batch invalid with a clear reason, never a crash; it keeps its place on the parent.
/// Not thread-safe: one caller drives <see cref="Sync"/>.
/// </summary>
public sealed class SettlementVerifier
{
    private readonly SettlementContract _contract;
    private readonly ReplayRules _rules;
    private readonly ParentAccount? _challenger;
    private readonly ParentAccount? _arbiter;
    private readonly Dictionary<ulong, BatchVerdict> _verdicts = [];
    private readonly Dictionary<ulong, (BatchRecord Record, IReadOnlyList<Hash256> Leaves, IReadOnlyList<BlockLeaf?> Preimages)> _assertions = [];
    /// <summary>Heads before each accepted batch, by its first slot (to go back when slots are asserted again).</summary>
    private readonly SortedDictionary<ulong, Dictionary<ulong, (ChainReplica Replica, BlockHeader Head)>> _headsBefore = [];
    private readonly HashSet<(ulong Batch, ulong ParentBlock)> _voted = [];
    private Dictionary<ulong, ChainReplica>? _chains;
    private Hash256? _genesisCommitment;
    private ulong _nextParentBlock;
    private ulong _expectedSlot = 1;
    private ulong _checked, _valid, _invalid, _blocks, _gas, _challenges, _votes;
    private readonly Stopwatch _executing = new();
    private BatchVerdict? _last;
    private string? _lastError;
    private ulong _parentHead;
    private readonly State.IKeyValueStore _nodes;
    private readonly LoggedKeyValueStore? _log;
    private readonly string? _directory;

    /// <param name="dataDirectory">
    /// Where the verifier keeps its place (<c>place.rlp</c>: cursors, chain heads, verdicts) and its chains' state
    /// (<c>nodes.log</c>), saved after every <see cref="Sync"/>: a restarted verifier resumes there instead of re-executing
    /// from genesis. Null: in memory (a restart re-derives everything from the parent).
    /// </param>
    /// <exception cref="SettlementDataException">the saved place does not decode (the message names the file).</exception>
    public SettlementVerifier(SettlementContract contract, ReplayRules rules, ParentAccount? challenger = null, ParentAccount? arbiter = null,
        string? dataDirectory = null)
    {
        _contract = contract ?? throw new ArgumentNullException(nameof(contract));
        _rules = rules ?? throw new ArgumentNullException(nameof(rules));
        _challenger = challenger;
        _arbiter = arbiter;
        if (dataDirectory is null)
        {
            _nodes = new State.MemoryKeyValueStore();
            return;
        }
        _directory = Directory.CreateDirectory(dataDirectory).FullName;
        var place = Path.Combine(_directory, VerifierPlace.FileName);
        var saved = File.Exists(place) ? VerifierPlace.Decode(File.ReadAllBytes(place), place) : null;
        _nodes = _log = new LoggedKeyValueStore(Path.Combine(_directory, "nodes.log"));
        if (saved is not null) Restore(saved);
    }

    /// <summary>The settlement slot the verifier resumed at from its data directory (null: it started from the parent's beginning).</summary>
    public ulong? ResumedAtSlot { get; private set; }

    private void Restore(VerifierPlace place)
    {
        _nextParentBlock = place.NextParentBlock;
        _parentHead = place.NextParentBlock == 0 ? 0 : place.NextParentBlock - 1;
        _expectedSlot = place.ExpectedSlot;
        _genesisCommitment = place.GenesisCommitment;
        _chains = place.Chains?.ToDictionary(c => c.Spec.Profile.ChainId, c => new ChainReplica(c.Spec, _rules, _nodes, c.Head, c.Hashes));
        foreach (var (slot, heads) in place.HeadsBefore)
            if (_chains is not null && heads.All(h => _chains.ContainsKey(h.ChainId)))
                _headsBefore[slot] = heads.ToDictionary(h => h.ChainId, h => (_chains[h.ChainId], h.Head));
        foreach (var verdict in place.Verdicts) _verdicts[verdict.Index] = verdict;
        if (place.Counters.Length == 5) (_checked, _valid, _invalid, _challenges, _votes) = (place.Counters[0], place.Counters[1], place.Counters[2], place.Counters[3], place.Counters[4]);
        _last = place.Verdicts.Count > 0 ? place.Verdicts[^1] : null;
        ResumedAtSlot = _expectedSlot;
    }

    /// <summary>Saves the place (after the state nodes it names are durable).</summary>
    private void Save()
    {
        if (_directory is null) return;
        _log!.Flush();
        new VerifierPlace(_nextParentBlock, _expectedSlot, _genesisCommitment,
            _chains?.Values.Select(c => (c.Spec, c.Head, c.Hashes)).ToList(),
            [.. _headsBefore.Select(h => (h.Key, (IReadOnlyList<(ulong, BlockHeader)>)[.. h.Value.Select(c => (c.Key, c.Value.Head))]))],
            [.. _verdicts.Values.OrderBy(v => v.Index)],
            [_checked, _valid, _invalid, _challenges, _votes]).Save(_directory);
    }

    /// <summary>A line per batch and per move (the CLI prints them).</summary>
    public event Action<string>? Progress;

    public IReadOnlyDictionary<ulong, BatchVerdict> Verdicts => _verdicts;

    /// <summary>Registers the arbiter key with its bond when it is not yet an arbiter.</summary>
    public void RegisterArbiterIfNeeded()
    {
        if (_arbiter is null || _contract.IsArbiter(_arbiter.Address)) return;
        _contract.RegisterArbiter(_arbiter, _contract.ArbiterBond());
        Report($"registered {_arbiter.Address} as an arbiter");
    }

    public VerifierStatus Status() => new()
    {
        ParentBlock = _parentHead,
        BatchesChecked = _checked,
        BatchesValid = _valid,
        BatchesInvalid = _invalid,
        NextSlot = _expectedSlot,
        BlocksExecuted = _blocks,
        GasExecuted = _gas,
        ExecutionSeconds = _executing.Elapsed.TotalSeconds,
        ChallengesSent = _challenges,
        VotesSent = _votes,
        ChainHeads = _chains?.ToDictionary(c => c.Key, c => c.Value.Head.Number) ?? new Dictionary<ulong, ulong>(),
        LastVerdict = _last,
        LastError = _lastError,
    };

    /// <summary>Reads the parent up to its head: verifies new assertions (challenging false ones) and rules on new challenges. Returns the batches checked.</summary>
    public int Sync()
    {
        var head = _contract.Parent.BlockNumber();
        _parentHead = head;
        if (head < _nextParentBlock) return 0;
        var checkedNow = 0;
        IReadOnlyList<LogRecord> logs = _contract.Parent.GetLogs(_contract.Address, SettlementContract.BatchAssertedTopic, _nextParentBlock, head);
        foreach (var log in logs)
        {
            var index = (ulong)log.Topics[1].ToUInt256();
            AssertedBatch assertion;
            try
            {
                assertion = SettlementContract.DecodeAssertion(index, _contract.Parent.TransactionInput(log.TransactionHash), log.TransactionHash, log.BlockNumber);
            }
            catch (SettlementDataException e)
            {
                _lastError = e.Message;
                Record(new BatchVerdict(index, 0, 0, false, null, e.Message));
                continue;
            }
            Check(assertion);
            checkedNow++;
        }
        foreach (var challenge in _contract.Challenges(_nextParentBlock, head)) OnChallenge(challenge);
        _nextParentBlock = head + 1;
        Save();
        return checkedNow;
    }

    private void Check(AssertedBatch assertion)
    {
        if (assertion.FirstSlot < _expectedSlot)
        {
            // The slots are asserted again (an earlier batch was rejected): back to the heads before them.
            if (_headsBefore.TryGetValue(assertion.FirstSlot, out var heads) && _chains is not null)
            {
                RestoreChains(heads);
                foreach (var later in _headsBefore.Keys.Where(s => s >= assertion.FirstSlot).ToList()) _headsBefore.Remove(later);
            }
            else if (assertion.FirstSlot == 1)
            {
                _chains = null;
                _headsBefore.Clear();
            }
            _expectedSlot = assertion.FirstSlot;
        }
        var before = _chains?.ToDictionary(c => c.Key, c => (c.Value, c.Value.Head));
        BatchVerdict verdict;
        IReadOnlyList<BlockLeaf?> preimages = [];
        if (assertion.FirstSlot > _expectedSlot)
        {
            verdict = new BatchVerdict(assertion.Index, assertion.FirstSlot, assertion.LastSlot, false, null,
                $"batch {assertion.Index} starts at slot {assertion.FirstSlot} but slot {_expectedSlot} was not settled by a valid batch (it builds on a false batch and is void once that one is rejected)");
        }
        else
        {
            _executing.Start();
            try
            {
                verdict = Verify(assertion, out preimages);
            }
            finally
            {
                _executing.Stop();
            }
        }
        if (verdict.Valid)
        {
            if (before is not null) _headsBefore[assertion.FirstSlot] = before;
            else _headsBefore[assertion.FirstSlot] = [];
            _expectedSlot = assertion.LastSlot + 1;
        }
        else if (_chains is not null && before is not null)
        {
            RestoreChains(before);
        }
        else if (assertion.FirstSlot == 1)
        {
            _chains = null;
        }
        var record = new BatchRecord(assertion.Index, assertion.FirstSlot, assertion.LastSlot, 0, (uint)assertion.Leaves.Count, BatchStatus.Pending, Address.Zero,
            SettlementMerkle.Root(assertion.Leaves), assertion.MessageRoot, Hash256.Zero);
        _assertions[assertion.Index] = (record, assertion.Leaves, preimages);
        Record(verdict);
        // A batch after a false one is not challenged: rejecting the false one voids it.
        if (!verdict.Valid && _challenger is not null && assertion.FirstSlot <= _expectedSlot) ChallengeBatch(assertion.Index);
    }

    /// <summary>Back to a set of chains and their heads (chains that joined later are forgotten, chains removed since come back).</summary>
    private void RestoreChains(Dictionary<ulong, (ChainReplica Replica, BlockHeader Head)> heads)
    {
        _chains = heads.ToDictionary(h => h.Key, h => h.Value.Replica);
        foreach (var (replica, head) in heads.Values) replica.Reset(head);
    }

    private void Record(BatchVerdict verdict)
    {
        _verdicts[verdict.Index] = verdict;
        _last = verdict;
        _checked++;
        if (verdict.Valid) _valid++;
        else _invalid++;
        Report(verdict.Valid
            ? $"batch {verdict.Index} (slots {verdict.FirstSlot}..{verdict.LastSlot}) holds"
            : $"batch {verdict.Index} (slots {verdict.FirstSlot}..{verdict.LastSlot}) is FALSE at leaf {verdict.BadLeaf?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}: {verdict.Reason}");
    }

    private BatchVerdict Verify(AssertedBatch assertion, out IReadOnlyList<BlockLeaf?> preimages)
    {
        preimages = [];
        BatchVerdict Invalid(int? leaf, string reason) => new(assertion.Index, assertion.FirstSlot, assertion.LastSlot, false, leaf, reason);

        BatchContents data;
        try
        {
            data = BatchCodec.Decode(assertion.Data);
        }
        catch (SettlementDataException e)
        {
            _lastError = $"batch {assertion.Index}: {e.Message}";
            return Invalid(null, e.Message);
        }
        // Sender recovery is most of a fresh transaction's cost: done for the whole batch in parallel first (each
        // transaction caches its sender; an invalid signature is reported again, in order, when its block executes).
        Parallel.ForEach(data.Blocks.SelectMany(b => b.Block.Transactions), tx =>
        {
            try
            {
                tx.RecoverSender();
            }
            catch (InvalidSignatureException)
            {
            }
        });
        if (data.FirstSlot != assertion.FirstSlot || data.LastSlot != assertion.LastSlot)
            return Invalid(null, $"the data covers slots {data.FirstSlot}..{data.LastSlot}, the assertion {assertion.FirstSlot}..{assertion.LastSlot}");
        var opened = new BlockLeaf?[assertion.Leaves.Count];
        for (var i = 0; i < data.Blocks.Count && i < opened.Length; i++)
        {
            var candidate = BlockLeaf.Of(data.Blocks[i].Slot, data.Blocks[i].ChainId, data.Blocks[i].Block.Header);
            if (candidate.Hash == assertion.Leaves[i]) opened[i] = candidate;
        }
        preimages = opened;
        int? Openable(int preferred)
        {
            if (preferred < opened.Length && opened[preferred] is not null) return preferred;
            for (var i = 0; i < opened.Length; i++) if (opened[i] is not null) return i;
            return null;
        }

        if (assertion.FirstSlot == 1)
        {
            _genesisCommitment ??= _contract.GenesisCommitment();
            if (Keccak256.Compute(data.Genesis) != _genesisCommitment) return Invalid(Openable(0), "the genesis section is not the contract's genesis commitment");
            IReadOnlyList<ChainSpec> specs;
            try
            {
                specs = GenesisCodec.Decode(data.Genesis);
            }
            catch (SettlementDataException e)
            {
                return Invalid(Openable(0), e.Message);
            }
            _chains = specs.ToDictionary(s => s.Profile.ChainId, s => new ChainReplica(s, _rules, _nodes));
        }
        if (_chains is null) return Invalid(Openable(0), "no genesis: the batch starting at slot 1 was not valid");
        if (data.Joined.Length > 0)
        {
            // Chains added to the cluster since the previous batch: their genesis comes with the batch (the data hash commits to it).
            IReadOnlyList<ChainSpec> joined;
            try
            {
                joined = GenesisCodec.Decode(data.Joined);
            }
            catch (SettlementDataException e)
            {
                return Invalid(Openable(0), "the joined chains' genesis section: " + e.Message);
            }
            foreach (var spec in joined)
            {
                if (_chains.ContainsKey(spec.Profile.ChainId)) return Invalid(Openable(0), $"chain {spec.Profile.ChainId} joins in this batch but is a member already");
                _chains[spec.Profile.ChainId] = new ChainReplica(spec, _rules, _nodes);
            }
        }

        var messages = new List<Hash256>();
        var previousSlot = assertion.FirstSlot;
        for (var i = 0; i < data.Blocks.Count; i++)
        {
            var (slot, chainId, block) = data.Blocks[i];
            if (i >= assertion.Leaves.Count) return Invalid(Openable(assertion.Leaves.Count - 1), $"the data has {data.Blocks.Count} blocks but the assertion {assertion.Leaves.Count} leaves");
            if (slot < previousSlot || slot > assertion.LastSlot) return Invalid(Openable(i), $"block {i} is in slot {slot}, out of order or outside the batch");
            previousSlot = slot;
            if (!_chains.TryGetValue(chainId, out var chain)) return Invalid(Openable(i), $"block {i} is on chain {chainId}, which is not in the cluster");
            var error = chain.Execute(block, out var receipts, out var gas);
            _blocks++;
            _gas += gas;
            if (error is not null) return Invalid(Openable(i), error);
            if (opened[i] is null) return Invalid(Openable(i), $"leaf {i} is not the block's (slot {slot}, chain {chainId}, number {block.Number}, hash {block.Hash})");
            MessageLeaves.Add(messages, chainId, block.Number, receipts, block.ClusterSection);
        }
        if (data.Blocks.Count < assertion.Leaves.Count) return Invalid(Openable(data.Blocks.Count), $"the assertion has {assertion.Leaves.Count} leaves but the data {data.Blocks.Count} blocks");
        var messageRoot = SettlementMerkle.Root(messages);
        if (messageRoot != assertion.MessageRoot) return Invalid(Openable(0), $"message root {assertion.MessageRoot} differs from the replayed {messageRoot}");
        if (data.Chains is { } covered)
        {
            foreach (var id in covered)
                if (!_chains.ContainsKey(id)) return Invalid(Openable(0), $"the batch covers chain {id}, which never joined the cluster");
            // A chain no longer covered was removed from the cluster: the verifier stops following it.
            foreach (var id in _chains.Keys.Where(id => !covered.Contains(id)).ToList()) _chains.Remove(id);
        }
        return new BatchVerdict(assertion.Index, assertion.FirstSlot, assertion.LastSlot, true, null, null);
    }

    private void ChallengeBatch(ulong index)
    {
        var verdict = _verdicts[index];
        var (_, leaves, preimages) = _assertions[index];
        if (verdict.BadLeaf is not { } leafIndex || preimages[leafIndex] is not { } leaf)
        {
            Report($"batch {index} is false but no leaf of it can be opened (its leaves match none of its blocks); not challenged");
            return;
        }
        try
        {
            var onChain = _contract.Batch(index);
            if (onChain.Status != BatchStatus.Pending)
            {
                Report($"batch {index} is {onChain.Status}; not challenged");
                return;
            }
            var receipt = _contract.Challenge(_challenger!, index, leaf, (uint)leafIndex, SettlementMerkle.Proof(leaves, leafIndex), _contract.ChallengeBond());
            _challenges++;
            Report($"challenged batch {index} at leaf {leafIndex} (chain {leaf.ChainId} block {leaf.Number}) in parent block {receipt.BlockNumber}");
        }
        catch (ParentChainException e)
        {
            _lastError = $"challenge of batch {index}: {e.Message}";
            Report(_lastError);
        }
    }

    private void OnChallenge(ChallengeRecord challenge)
    {
        if (_arbiter is null || !_voted.Add((challenge.Index, challenge.ParentBlock))) return;
        if (!_verdicts.TryGetValue(challenge.Index, out var verdict))
        {
            Report($"batch {challenge.Index} was challenged but this verifier has no verdict on it; no vote");
            return;
        }
        try
        {
            if (_contract.Batch(challenge.Index).Status != BatchStatus.Challenged) return;
            _contract.Rule(_arbiter, challenge.Index, verdict.Valid);
            _votes++;
            Report($"ruled on batch {challenge.Index}: the assertion {(verdict.Valid ? "holds" : "is false")}");
        }
        catch (ParentChainException e)
        {
            _lastError = $"ruling on batch {challenge.Index}: {e.Message}";
            Report(_lastError);
        }
    }

    private void Report(string line) => Progress?.Invoke(line);
}
