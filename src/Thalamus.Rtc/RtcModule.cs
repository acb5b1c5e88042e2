using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.Modules;
using Thalamus.Rpc;

namespace Thalamus.Rtc;

/// <summary>
/// Remote transaction calls on the module seam. The <c>Thalamus</c> gateway (an ERC-7786 gateway with RTCs,
/// contracts/src/rtc/Thalamus.sol) is a Solidity predeploy on every chain that rides on the cluster's own
/// transports (synchronous cross-chain calls for atomic RTCs, the ClusterMessenger for messages and async
/// RTCs), so the module proposes no system transactions to carry RTCs: it puts the gateway in genesis, answers the
/// gateway's membership question natively, follows the gateway's events of every sealed block into an
/// index of RTCs, and serves <c>thalamus_getRtc</c> and <c>thalamus_getRtcs</c>. The index is rebuilt from
/// the chains' logs when the cluster starts (the logs are stored with the blocks, so nothing is lost by a kill).
/// Beside that it runs the relayers of chains outside the cluster (<see cref="ExternalRelayer"/>) and replicates
/// the address book (<c>ThalamusAddressBook</c>) and expires unanswered external RTCs (<c>expireRtc</c>) with system
/// transactions of its account.
/// </summary>
public sealed class RtcModule : ISystemTransactionSource, IAsyncDisposable
{
    public const string ModuleName = "rtc";

    /// <summary>Largest page thalamus_getRtcs returns.</summary>
    public const int MaxPage = 1000;

    private readonly RtcIndex _index = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<Hash256, Outbound> _outbound = [];
    /// <summary>Answers of RTCs that came from an external chain (its gateway's RtcOutbound, delivered here by a relayer), waiting to be carried back.</summary>
    private readonly Dictionary<Hash256, InboundAnswer> _inboundAnswers = [];
    private readonly List<ExternalRelayer> _relayers = [];
    private readonly AddressBook _book = new();
    /// <summary>The node's expireRtc transactions not yet seen in a block: transaction hash → RTC id.</summary>
    private readonly Dictionary<Hash256, Hash256> _expiring = [];
    /// <summary>
    /// How many of the node's expireRtc of an RTC failed (e.g. a sender whose receive needs more gas than given): the next
    /// is proposed with twice the gas, up to <see cref="MaxExpiryAttempts"/> in all; after that anyone may still call it.
    /// </summary>
    private readonly Dictionary<Hash256, int> _expiryFailures = [];
    private IClusterHost? _host;

    public RtcModule(RtcOptions? options = null)
    {
        Options = options ?? new RtcOptions();
        foreach (var chain in Options.External)
            for (var rank = 0; rank < chain.Relayers.Count; rank++)
                _relayers.Add(new ExternalRelayer(this, chain, chain.Relayers[rank], rank));
    }

    public string Name => ModuleName;

    public RtcOptions Options { get; }

    /// <summary>The relayers (providers) of every external chain, in preference order per chain.</summary>
    public IReadOnlyList<ExternalRelayer> Relayers => _relayers;

    internal TimeProvider Time => _host?.Time ?? TimeProvider.System;

    /// <summary>An async RTC to an external chain, waiting for its relayers (what its <c>RtcOutbound</c> event carries).</summary>
    internal sealed record Outbound(Hash256 Id, ulong DestinationChainId, Address[] Providers, byte[] Delivery, long SeenAtMs);

    /// <summary>The answer (settleExternal call data, from a member chain's <c>RtcAnswered</c>) to an RTC sent on external chain <c>SourceChainId</c>.</summary>
    internal sealed record InboundAnswer(Hash256 Id, ulong SourceChainId, byte[] Answer, long SeenAtMs);

    /// <summary>Blocks' gateway logs read at start.</summary>
    internal int LogsReadAtStart { get; private set; }

    public IEnumerable<KeyValuePair<Address, GenesisAccount>> GenesisAllocations(ulong chainId, ulong genesisTimestamp)
    {
        foreach (var account in RtcPredeploys.GenesisAllocations()) yield return account;
        // The relayers pay for the answers they carry back to the cluster's chains.
        foreach (var relayer in _relayers.Select(r => r.Address).Distinct())
            yield return new(relayer, new GenesisAccount { Balance = SystemAccount.GenesisBalance });
    }

    public IEnumerable<KeyValuePair<string, Address>> NamedPredeploys =>
        [new("Thalamus", RtcPredeploys.Gateway), new("ThalamusExternal", RtcPredeploys.External), new("ThalamusExecutor", RtcPredeploys.Executor), new("ThalamusAddressBook", RtcPredeploys.AddressBook)];

    public IEnumerable<NativeContract> NativeContracts(ulong chainId) => [new ClusterMembership(IsMember, IsRelayer, ProviderAt)];

    /// <summary>Whether <paramref name="relayer"/> is a relayer of external chain <paramref name="chainId"/> (zero: whether it has any).</summary>
    public bool IsRelayer(ulong chainId, Address relayer)
    {
        foreach (var r in _relayers)
            if (r.ExternalChainId == chainId && (relayer == Address.Zero || r.Address == relayer)) return true;
        return false;
    }

    /// <summary>Provider <paramref name="index"/> of external chain <paramref name="chainId"/> in the configured order, or null.</summary>
    public RelayerOptions? ProviderAt(ulong chainId, int index)
    {
        foreach (var chain in Options.External)
            if (chain.ChainId == chainId) return index < chain.Relayers.Count ? chain.Relayers[index] : null;
        return null;
    }

    /// <summary>The relayers of RTC <paramref name="id"/> in its sender's order (from its RtcOutbound event), or null.</summary>
    internal IReadOnlyList<Address>? ProvidersOf(in Hash256 id)
    {
        lock (_lock) return _outbound.TryGetValue(id, out var outbound) ? outbound.Providers : null;
    }

    /// <summary>The member chain <paramref name="chainId"/>, or null.</summary>
    internal MemberChain? Chain(ulong chainId)
    {
        if (_host is not { } host) return null;
        foreach (var chain in host.Chains)
            if (chain.ChainId == chainId) return chain;
        return null;
    }

    /// <summary>RTCs to <paramref name="chainId"/> still PENDING on their origin, oldest first.</summary>
    internal List<Outbound> PendingOutbound(ulong chainId)
    {
        lock (_lock)
        {
            var list = new List<Outbound>();
            foreach (var outbound in _outbound.Values)
                if (outbound.DestinationChainId == chainId && _index.Get(outbound.Id) is { Status: RtcStatus.Pending }) list.Add(outbound);
            return list;
        }
    }

    /// <summary>Answers to RTCs from external chain <paramref name="chainId"/> not yet known to be settled there, oldest first.</summary>
    internal List<InboundAnswer> PendingInboundAnswers(ulong chainId)
    {
        lock (_lock) return [.. _inboundAnswers.Values.Where(a => a.SourceChainId == chainId).OrderBy(a => a.SeenAtMs)];
    }

    /// <summary>
    /// A relayer saw the RTC settled (or expired) on its external origin: its answer needs no carrying. <paramref name="settled"/>:
    /// the external chain's block and settleExternal transaction when this relayer carried the answer (the index shows it).
    /// </summary>
    internal void AnswerSettled(in Hash256 id, (ulong BlockNumber, Hash256 TransactionHash)? settled)
    {
        lock (_lock)
        {
            _inboundAnswers.Remove(id);
            if (settled is not { } on || _index.Get(id) is not { Inbound: true } record) return;
            record.SettledBlockNumber = on.BlockNumber;
            record.SettledTransactionHash = on.TransactionHash;
            record.SettledAtMs = Time.GetUtcNow().ToUnixTimeMilliseconds();
        }
    }

    /// <summary>Whether <paramref name="chainId"/> is a member chain now (what the gateway's oracle answers).</summary>
    public bool IsMember(ulong chainId)
    {
        if (_host is not { } host) return false;
        foreach (var chain in host.Chains)
            if (chain.ChainId == chainId) return true;
        return false;
    }

    public void Attach(IClusterHost host)
    {
        _host = host;
        lock (_lock) LogsReadAtStart += RebuildFromChains(host);
        // The relayers' progress on their external chains, as stored with the last slot (rows relayer/<chain id><address>).
        foreach (var (key, value) in host.ReadState(ModuleName))
        {
            if (RelayerCursor.Decode(value) is not { } cursor) continue;
            foreach (var relayer in _relayers)
                if (key.AsSpan().SequenceEqual(CursorKey(relayer))) relayer.Resume(cursor);
        }
        if (Options.StartRelayers)
            foreach (var relayer in _relayers) relayer.Start();
    }

    /// <summary>
    /// The index, the outbound RTCs waiting for relayers, the answers waiting to go back to external chains and the address
    /// book, from every chain's gateway and address-book logs (from genesis): at start, and after a rollback (the kept
    /// blocks then say what is left). Sends first, then outcomes. The expiry attempts start again. Under the lock; returns
    /// the gateway logs read.
    /// </summary>
    private int RebuildFromChains(IClusterHost host)
    {
        var read = 0;
        _index.Clear();
        _outbound.Clear();
        _inboundAnswers.Clear();
        _book.Clear();
        _expiring.Clear();
        _expiryFailures.Clear();
        // Sends first, then outcomes (an execution on the destination may come earlier in chain order).
        var later = new List<(LogRecord Log, long AtMs)>();
        foreach (var chain in host.Chains)
        {
            if (chain.Store.HeadNumber is not { } head || head == 0) continue;
            foreach (var log in chain.GetLogs(new LogFilter { FromBlock = 1, ToBlock = head, Addresses = [RtcPredeploys.AddressBook] }))
                _book.Follow(chain.ChainId, log);
            foreach (var log in chain.GetLogs(new LogFilter { FromBlock = 1, ToBlock = head, Addresses = [RtcPredeploys.Gateway] }))
            {
                read++;
                var atMs = (long)(chain.Store.GetHeader(log.BlockNumber)?.Timestamp ?? 0) * 1000;
                if (log.Topics.Count > 0 && log.Topics[0] == RtcLogs.RtcOutbound) FollowOutbound(log, atMs);
                else if (log.Topics.Count > 0 && log.Topics[0] == RtcLogs.RtcAnswered)
                    FollowAnswered(chain.ChainId, log, chain.GetTransaction(log.TransactionHash)?.tx.Data ?? [], atMs);
                else if (log.Topics.Count > 0 && log.Topics[0] == RtcLogs.RtcSent)
                {
                    if (RtcLogs.ReadSent(log, chain.ChainId, atMs) is { } record) _index.Add(record);
                }
                else later.Add((log, atMs));
            }
        }
        foreach (var (log, atMs) in later) ApplyOutcome(log, atMs);
        return read;
    }

    /// <summary>
    /// Member chains were rolled back: the index, the outbound RTCs, the answers for external chains and the address book are
    /// rebuilt from the kept blocks, with the code that builds them at start (so they are what a restart would read; after a
    /// crash the next start calls this again and does the same). What the node did in a discarded block is proposed again
    /// from there, once: an address-book <c>replicate</c> (the book's <c>applied</c> refuses a repeat) and an
    /// <c>expireRtc</c> (the gateway takes it while the RTC is PENDING only). The module's rows, the relayers' cursors on
    /// their external chains, are not the cluster's blocks and stay: a relayer's own transactions in discarded blocks are
    /// users' transactions, back in the pools (the gateway delivers an id once and takes one answer).
    /// </summary>
    public void RolledBack(ClusterRollback rollback)
    {
        if (_host is not { } host) return;
        lock (_lock) RebuildFromChains(host);
    }

    /// <summary>
    /// What the module carried from <paramref name="sourceChainId"/>'s blocks from <paramref name="sourceFrom"/> on to
    /// <paramref name="chain"/> with its own transactions: the first of the consumer's blocks that replicated an
    /// address-book registration those blocks made. (RTCs ride on messages and synchronous calls, which the cluster follows.)
    /// </summary>
    public (ulong Number, string Why)? FirstTaintedBlock(MemberChain chain, ulong sourceChainId, ulong sourceFrom)
    {
        if (Chain(sourceChainId) is not { } source || chain is not { } consumer) return null;
        if (sourceFrom > source.Head.Number || consumer.Head.Number == 0) return null;
        try
        {
            ulong? first = null;
            foreach (var log in source.GetLogs(new LogFilter { FromBlock = sourceFrom, ToBlock = source.Head.Number, Addresses = [RtcPredeploys.AddressBook] }))
                if (log.Topics.Count == 4 && log.Topics[0] == AddressBook.Registered && log.Topics[2].ToUInt256() == new UInt256(sourceChainId))
                    first = Math.Min(first ?? ulong.MaxValue, new AbiReader(log.Data).UInt64(2));
            if (first is not { } nonce) return null;
            foreach (var log in consumer.GetLogs(new LogFilter { FromBlock = 1, ToBlock = consumer.Head.Number, Addresses = [RtcPredeploys.AddressBook] }))
                if (log.Topics.Count == 2 && log.Topics[0] == AddressBook.Replicated && log.Topics[1].ToUInt256() == new UInt256(sourceChainId) &&
                    new AbiReader(log.Data).UInt64(0) >= nonce)
                    return (log.BlockNumber, $"applied address-book registration {nonce} made by chain {sourceChainId} at or after its block {sourceFrom}");
        }
        catch (AbiException)
        {
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var relayer in _relayers) await relayer.DisposeAsync().ConfigureAwait(false);
    }

    public void BlockSealed(SealedBlock block)
    {
        var nowMs = _host?.Time.GetUtcNow().ToUnixTimeMilliseconds() ?? 0;
        lock (_lock)
        {
            var receipts = block.Built.Receipts;
            for (var i = 0; i < receipts.Count; i++)
            {
                var receipt = receipts[i];
                if (_expiring.Remove(receipt.TransactionHash, out var expired) && !receipt.Success)
                    _expiryFailures[expired] = _expiryFailures.GetValueOrDefault(expired) + 1;
                foreach (var log in receipt.Logs)
                    Follow(block.Chain.ChainId, log, nowMs,
                        RtcLogs.IsGatewayLog(log) && log.Topics[0] == RtcLogs.RtcAnswered ? InputOf(block.Built.Block, i, receipt.TransactionHash) : []);
            }
            foreach (var log in block.SectionLogs) Follow(block.Chain.ChainId, log, nowMs, []);
        }
    }

    public void RegisterRpcMethods(RpcMethodRegistry registry) => RtcRpcMethods.Register(registry, this);

    /// <summary>Stores each relayer's progress on its external chain with the slot (a restart reads the external chain from there, not from block 0).</summary>
    public void SlotCommitted(CommittedSlot slot)
    {
        if (!slot.State.IsPersistent) return;
        foreach (var relayer in _relayers)
        {
            var cursor = relayer.Cursor;
            if (_savedCursors.TryGetValue(relayer, out var saved) && saved == cursor) continue;
            if (cursor == RelayerCursor.Start) continue; // nothing read yet (or still the restored cursor)
            slot.State.Put(ModuleName, CursorKey(relayer), cursor.Encode());
            _savedCursors[relayer] = cursor;
        }
    }

    private readonly Dictionary<ExternalRelayer, RelayerCursor> _savedCursors = [];

    /// <summary>The row of a relayer's cursor: "relayer/", its external chain id (8 bytes) and its address.</summary>
    private static byte[] CursorKey(ExternalRelayer relayer)
    {
        var key = new byte[8 + 8 + 20];
        "relayer/"u8.CopyTo(key);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(8), relayer.ExternalChainId);
        relayer.Address.Bytes.CopyTo(key.AsSpan(16));
        return key;
    }

    public bool HasPendingWork(MemberChain chain)
    {
        lock (_lock) return _book.HasPendingWork(chain.ChainId) || Expirable(chain, chain.PeekNextTimestamp()).Any();
    }

    /// <summary>
    /// The address book's replays, then <c>expireRtc</c> for every external RTC of this chain still PENDING after
    /// 3 × its deadline's span at the next block's time (the relayers never answered): the origin marks it EXPIRED
    /// and returns its reserve by itself. The gateway accepts it once (PENDING only), so a replay changes nothing.
    /// </summary>
    public IReadOnlyList<PooledTransaction> ProposeSystemTransactions(SystemTransactionRequest request)
    {
        lock (_lock)
        {
            var proposed = _book.Propose(request);
            var budget = request.GasBudget - (ulong)proposed.Count * AddressBook.ReplicateGas;
            ulong? nonce = null;
            var expiries = 0;
            foreach (var record in Expirable(request.Chain, request.Chain.PeekNextTimestamp()))
            {
                var gas = (ExpireGas + ExpireGasPerCall * (ulong)record.ChainIds.Count) << _expiryFailures.GetValueOrDefault(record.Id);
                if (gas > budget || expiries == MaxExpiriesPerBlock) break;
                nonce ??= RtcPredeploys.Account.NonceOn(request.Chain) + (ulong)proposed.Count;
                var expiry = RtcPredeploys.Account.Sign(request.Chain.ChainId, nonce.Value, RtcPredeploys.Gateway,
                    Abi.EncodeCall(ExpireRtc, record.Id), gas, request.BaseFee);
                _expiring[expiry.Hash] = record.Id;
                proposed.Add(expiry);
                nonce++;
                budget -= gas;
                expiries++;
            }
            return proposed;
        }
    }

    /// <summary>Gas of one expireRtc system transaction (the record and the event), plus <see cref="ExpireGasPerCall"/> per reserved asset it returns.</summary>
    internal const ulong ExpireGas = 80_000;
    internal const ulong ExpireGasPerCall = 60_000;
    private const int MaxExpiriesPerBlock = 16;
    /// <summary>The node's expireRtc of one RTC is tried at most this many times (gas ×1, ×2, ×4).</summary>
    internal const int MaxExpiryAttempts = 3;
    private static readonly AbiSelector ExpireRtc = Abi.Selector("expireRtc(bytes32)");

    /// <summary>The external RTCs sent on <paramref name="chain"/>, still PENDING, that a block at <paramref name="timestamp"/>
    /// may expire: later than sent + 3 × (deadline − sent), the gateway's rule, with the sending block's timestamp. Oldest first.</summary>
    private IEnumerable<RtcRecord> Expirable(MemberChain chain, ulong timestamp)
    {
        foreach (var outbound in _outbound.Values)
        {
            if (_index.Get(outbound.Id) is not { Status: RtcStatus.Pending, Deadline: > 0 } record || record.OriginChainId != chain.ChainId) continue;
            if (_expiryFailures.GetValueOrDefault(outbound.Id) >= MaxExpiryAttempts) continue; // failed every time: left to a user's expireRtc
            if (record.SentBlockNumber is not { } sentBlock || chain.Store.GetHeader(sentBlock) is not { } sent || record.Deadline <= sent.Timestamp) continue;
            if (timestamp > sent.Timestamp + 3 * (record.Deadline - sent.Timestamp)) yield return record;
        }
    }

    /// <summary>The address book's name of <paramref name="target"/> on chain <paramref name="chainId"/>, or null.</summary>
    public string? NameOf(ulong chainId, Address target)
    {
        lock (_lock) return _book.NameOf(chainId, target);
    }

    /// <summary>The address book's entry for <paramref name="name"/> (as every chain has it once replicated), or null.</summary>
    public (string Name, ulong ChainId, Address Target, Address Owner)? ResolveName(string name)
    {
        lock (_lock) return _book.Resolve(name) is { } e ? (e.Name, e.ChainId, e.Target, e.Owner) : null;
    }

    /// <summary>The RTC with this id, or null.</summary>
    public RtcRecord? GetRtc(in Hash256 id)
    {
        lock (_lock) return _index.Get(id);
    }

    /// <summary>A page of RTCs (see <see cref="RtcQuery"/>).</summary>
    public (List<RtcRecord> Page, string? NextCursor) GetRtcs(RtcQuery query)
    {
        lock (_lock) return _index.Query(query);
    }

    /// <summary>The input of the block's transaction <paramref name="hash"/> (receipt <paramref name="index"/>), or empty.</summary>
    private static byte[] InputOf(Block block, int index, Hash256 hash)
    {
        if (index < block.Transactions.Count && block.Transactions[index].Hash == hash) return block.Transactions[index].Data;
        foreach (var tx in block.Transactions)
            if (tx.Hash == hash) return tx.Data;
        return [];
    }

    /// <param name="input">For an RtcAnswered log: its transaction's input (a relayer's deliverExternal); else empty.</param>
    private void Follow(ulong chainId, LogRecord log, long nowMs, byte[] input)
    {
        if (log.Address == RtcPredeploys.AddressBook)
        {
            _book.Follow(chainId, log);
            return;
        }
        if (!RtcLogs.IsGatewayLog(log)) return;
        if (log.Topics[0] == RtcLogs.RtcOutbound) FollowOutbound(log, nowMs);
        else if (log.Topics[0] == RtcLogs.RtcAnswered) FollowAnswered(chainId, log, input, nowMs);
        else if (log.Topics[0] == RtcLogs.RtcSent)
        {
            if (RtcLogs.ReadSent(log, chainId, nowMs) is { } record) _index.Add(record);
        }
        else ApplyOutcome(log, nowMs);
    }

    private void FollowOutbound(LogRecord log, long atMs)
    {
        if (log.Topics.Count != 3) return;
        try
        {
            var data = new AbiReader(log.Data);
            var list = data.Array(0, out var count);
            var providers = new Address[count];
            for (var i = 0; i < count; i++) providers[i] = list.Address(i);
            _outbound[log.Topics[1]] = new Outbound(log.Topics[1], (ulong)log.Topics[2].ToUInt256(), providers, data.Bytes(1), atMs);
        }
        catch (AbiException)
        {
        }
    }

    /// <summary>
    /// A member chain's <c>RtcAnswered</c> (its gateway's deliverExternal ran an RTC sent on an external chain): the answer
    /// waits for the relayers, and the RTC enters the index (<paramref name="delivery"/>: the delivering transaction's input).
    /// </summary>
    private void FollowAnswered(ulong chainId, LogRecord log, ReadOnlySpan<byte> delivery, long atMs)
    {
        if (RtcLogs.ReadInbound(log, chainId, delivery, atMs) is { } record) _index.Add(record);
        if (log.Topics.Count != 3 || !log.Topics[2].ToUInt256().IsUInt64) return;
        try
        {
            _inboundAnswers[log.Topics[1]] = new InboundAnswer(log.Topics[1], (ulong)log.Topics[2].ToUInt256(), new AbiReader(log.Data).Bytes(0), atMs);
        }
        catch (AbiException)
        {
        }
    }

    private void ApplyOutcome(LogRecord log, long atMs)
    {
        if (log.Topics.Count < 2 || _index.Get(log.Topics[1]) is not { } record) return;
        RtcLogs.Apply(record, log, atMs);
    }
}
