using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Rtc;

/// <summary>
/// One provider of an external chain: a relayer inside the node. Both ways, with one key:
/// <list type="bullet">
/// <item>outbound: it carries the cluster's RTCs to the external chain (an <c>RtcOutbound</c> event's delivery,
/// sent to the external gateway over JSON-RPC) and their answers back (the external gateway's <c>RtcAnswered</c>
/// events, sent to the origin gateway on the member chain);</item>
/// <item>inbound: it carries RTCs sent on the external gateway to a member chain (the external gateway's
/// <c>RtcOutbound</c>, sent to <c>deliverExternal</c> of the member chain's gateway) and their answers back (the
/// member chain's <c>RtcAnswered</c>, sent to the external gateway's <c>settleExternal</c>).</item>
/// </list>
/// Provider k of a chain (k = 0 preferred) waits k × FailoverAfter after it sees an RTC or an answer before it
/// carries it itself, and first checks that nobody has: a gateway delivers an id once and the origin ignores a
/// second answer, so a relayer that dies anywhere mid-flight is replaced without losing or duplicating the RTC.
/// </summary>
public sealed class ExternalRelayer : IAsyncDisposable
{
    private const ulong DeliveryGas = 8_000_000;
    private static readonly AbiSelector Delivered = Abi.Selector("delivered(bytes32)");
    private static readonly AbiSelector RtcOf = Abi.Selector("rtcOf(bytes32)");
    private static readonly Hash256[] ExternalTopics = [RtcLogs.RtcAnswered, RtcLogs.RtcOutbound];

    private readonly RtcModule _module;
    private readonly ExternalChainOptions _chain;
    private readonly RelayerOptions _relayer;
    private readonly ExternalRpc _rpc;
    private readonly HashSet<Hash256> _carried = [];
    private readonly Dictionary<Hash256, (ulong Source, byte[] Answer, long SeenAtMs, ulong Block)> _answers = [];
    /// <summary>RTCs sent on the external gateway to a member chain, not yet carried: id → (member chain, deliverExternal call data, seen at).</summary>
    private readonly Dictionary<Hash256, (ulong Destination, byte[] Delivery, long SeenAtMs, ulong Block)> _inbound = [];
    private readonly SemaphoreSlim _step = new(1, 1);
    private ulong _nextBlock;
    /// <summary>The external chain's block the last scan read up to (its number and hash): a saved cursor is trusted only while that block is still there.</summary>
    private ulong _scannedBlock;
    private Hash256 _scannedHash;
    private RelayerCursor _cursor = RelayerCursor.Start;
    private RelayerCursor? _resume;
    private CancellationTokenSource? _loop;
    private Task? _running;

    internal ExternalRelayer(RtcModule module, ExternalChainOptions chain, RelayerOptions relayer, int rank)
    {
        _module = module;
        _chain = chain;
        _relayer = relayer;
        Rank = rank;
        _rpc = new ExternalRpc(chain.Rpc);
    }

    public string Name => _relayer.Name;
    public ulong ExternalChainId => _chain.ChainId;
    public Address Address => _relayer.Address;

    /// <summary>Its place in the configured order of its chain's providers (0 first); an RTC's sender may choose another order.</summary>
    public int Rank { get; }

    public bool IsRunning => _running is { IsCompleted: false };

    /// <summary>RTCs this relayer delivered (to the external chain, or from it to a member chain), and answers it carried back (either way).</summary>
    public int Deliveries { get; private set; }
    public int Answers { get; private set; }

    /// <summary>
    /// Where a restart may resume reading the external gateway's logs: the first block with an RTC or an answer this relayer
    /// read but has not carried yet (else the block after the last one read), with the last block read and its hash.
    /// The rtc module stores it with each slot (<see cref="RelayerCursor"/>).
    /// </summary>
    internal RelayerCursor Cursor => Volatile.Read(ref _cursor);

    /// <summary>The block the relayer's log scan starts at (0 on a fresh start; a saved cursor's after a restart, when it still matches the chain).</summary>
    internal ulong FirstScannedBlock { get; private set; }

    /// <summary>Before <see cref="Start"/>: resume from a cursor saved before a restart (checked against the external chain at the first poll).</summary>
    internal void Resume(RelayerCursor cursor) => _resume = cursor;

    /// <summary>The last error (e.g. the external chain down); the relayer retries at its next poll.</summary>
    public string? LastError { get; private set; }

    /// <summary>Starts the relayer's loop (a poll every <see cref="RtcOptions.PollInterval"/>).</summary>
    public void Start()
    {
        if (IsRunning) return;
        _loop = new CancellationTokenSource();
        var cancel = _loop.Token;
        _running = Task.Run(() => LoopAsync(cancel), CancellationToken.None);
    }

    /// <summary>Stops the loop (a relayer killed: what it was carrying is left to the next provider).</summary>
    public async Task StopAsync()
    {
        if (_loop is null || _running is null) return;
        await _loop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _loop.Dispose();
        _loop = null;
        _running = null;
    }

    /// <summary>One poll: deliver what is due, read the external gateway's answers and RTCs, carry what is due both ways.</summary>
    public async Task StepAsync(CancellationToken cancel = default)
    {
        await _step.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            await DeliverDueAsync(cancel).ConfigureAwait(false);
            await ReadExternalLogsAsync(cancel).ConfigureAwait(false);
            CarryAnswers();
            await DeliverInboundAsync(cancel).ConfigureAwait(false);
            await CarryInboundAnswersAsync(cancel).ConfigureAwait(false);
            LastError = null;
            SaveCursor();
        }
        catch (Exception e) when (!cancel.IsCancellationRequested) // the external chain down, a refused transaction: retried at the next poll
        {
            LastError = e.Message;
        }
        finally
        {
            _step.Release();
        }
    }

    private async Task LoopAsync(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            await StepAsync(cancel).ConfigureAwait(false);
            await Task.Delay(_module.Options.PollInterval, _module.Time, cancel).ConfigureAwait(false);
        }
    }

    private long NowMs => _module.Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>How long this relayer waits before it carries RTC id: its place in the sender's order (RtcOutbound) × FailoverAfter.</summary>
    private long WaitMs(in Hash256 id)
    {
        var place = Rank;
        if (_module.ProvidersOf(id) is { } order)
        {
            var index = IndexOf(order, _relayer.Address);
            place = index >= 0 ? index : order.Count + Rank;
        }
        return place * (long)_module.Options.FailoverAfter.TotalMilliseconds;
    }

    private static int IndexOf(IReadOnlyList<Address> order, Address relayer)
    {
        for (var i = 0; i < order.Count; i++)
            if (order[i] == relayer) return i;
        return -1;
    }

    /// <summary>Only the delivery half of a step (what the tests use to kill a relayer between delivering and answering).</summary>
    internal async Task DeliverAsync(CancellationToken cancel = default)
    {
        await _step.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            await DeliverDueAsync(cancel).ConfigureAwait(false);
        }
        finally
        {
            _step.Release();
        }
    }

    private async Task DeliverDueAsync(CancellationToken cancel)
    {
        foreach (var outbound in _module.PendingOutbound(_chain.ChainId))
        {
            if (_carried.Contains(outbound.Id) || NowMs < outbound.SeenAtMs + WaitMs(outbound.Id)) continue;
            var done = await _rpc.EthCallAsync(_chain.Gateway, Abi.EncodeCall(Delivered, outbound.Id), cancel).ConfigureAwait(false);
            if (done.Length == 32 && done[31] == 1)
            {
                _carried.Add(outbound.Id);
                continue;
            }
            var (ok, _, _) = await _rpc.SendAndWaitAsync(_chain.ChainId, _relayer.PrivateKey, _chain.Gateway, outbound.Delivery, DeliveryGas,
                _module.Options.PollInterval, cancel).ConfigureAwait(false);
            _carried.Add(outbound.Id);
            if (ok) Deliveries++;
            else LastError = $"the delivery of RTC {outbound.Id} to chain {_chain.ChainId} reverted";
        }
    }

    /// <summary>The external gateway's new logs: answers to the cluster's RTCs, and RTCs sent there to a member chain.</summary>
    private async Task ReadExternalLogsAsync(CancellationToken cancel)
    {
        if (_resume is { } resume)
        {
            // A saved cursor counts only if the block it last read is still the chain's (an external chain reset: from 0).
            var hash = resume.ScannedBlock == 0 && resume.ScannedHash == default ? null : await _rpc.BlockHashAsync(resume.ScannedBlock, cancel).ConfigureAwait(false);
            _nextBlock = hash == resume.ScannedHash ? resume.NextBlock : 0;
            FirstScannedBlock = _nextBlock;
            _resume = null;
        }
        var (head, headHash) = await _rpc.HeadAsync(cancel).ConfigureAwait(false);
        if (head < _nextBlock) return;
        foreach (var (topics, data, block) in await _rpc.LogsAsync(_chain.Gateway, ExternalTopics, _nextBlock, head, cancel).ConfigureAwait(false))
        {
            if (topics.Length != 3 || !topics[2].ToUInt256().IsUInt64) continue;
            var id = topics[1];
            var chainId = (ulong)topics[2].ToUInt256();
            try
            {
                if (topics[0] == RtcLogs.RtcAnswered)
                {
                    if (!_answers.ContainsKey(id) && !_carried.Contains(Key(id))) _answers[id] = (chainId, new AbiReader(data).Bytes(0), NowMs, block);
                }
                else if (_module.Chain(chainId) is not null && !_inbound.ContainsKey(id) && !_carried.Contains(id))
                {
                    _inbound[id] = (chainId, new AbiReader(data).Bytes(1), NowMs, block);
                }
            }
            catch (AbiException)
            {
            }
        }
        _nextBlock = head + 1;
        (_scannedBlock, _scannedHash) = (head, headHash);
    }

    /// <summary>After a step: the cursor stays at the first block of what is read but not carried yet, so a restart reads it again.</summary>
    private void SaveCursor()
    {
        if (_resume is not null) return; // not scanned since the restart: the saved cursor stands
        var next = _nextBlock;
        foreach (var (_, (_, _, _, block)) in _answers) next = Math.Min(next, block);
        foreach (var (_, (_, _, _, block)) in _inbound) next = Math.Min(next, block);
        Volatile.Write(ref _cursor, new RelayerCursor(next, _scannedBlock, _scannedHash));
    }

    /// <summary>RTCs from the external chain whose turn has come: sent to deliverExternal of their member chain's gateway,
    /// unless one is there already or the RTC is no longer PENDING on the external chain (e.g. expired there).</summary>
    private async Task DeliverInboundAsync(CancellationToken cancel)
    {
        foreach (var (id, (destination, delivery, seenAtMs, _)) in _inbound.ToList())
        {
            if (NowMs < seenAtMs + Rank * (long)_module.Options.FailoverAfter.TotalMilliseconds) continue;
            if (_module.Chain(destination) is not { } chain) continue;
            var done = chain.Call(new CallRequest { To = RtcPredeploys.Gateway, Data = Abi.EncodeCall(Delivered, id), From = _relayer.Address }, BlockSelector.Latest);
            var delivered = done.Success && done.ReturnData.Length == 32 && done.ReturnData[31] == 1;
            if (!delivered && await IsPendingOnExternalAsync(id, cancel).ConfigureAwait(false))
            {
                Deliveries++; // first: an automining chain runs the RTC inside SendTransaction
                try
                {
                    SendOnCluster(chain, delivery);
                }
                catch
                {
                    Deliveries--;
                    throw;
                }
            }
            _inbound.Remove(id);
            _carried.Add(id);
        }
    }

    /// <summary>Answers of RTCs from the external chain (a member chain's RtcAnswered) whose turn has come: sent to the
    /// external gateway's settleExternal while the RTC is PENDING there.</summary>
    private async Task CarryInboundAnswersAsync(CancellationToken cancel)
    {
        foreach (var answer in _module.PendingInboundAnswers(_chain.ChainId))
        {
            if (_carried.Contains(Key(answer.Id)) || NowMs < answer.SeenAtMs + Rank * (long)_module.Options.FailoverAfter.TotalMilliseconds) continue;
            if (await IsPendingOnExternalAsync(answer.Id, cancel).ConfigureAwait(false))
            {
                // Counted first: a reader may see the RTC settled on the external chain before the receipt poll returns.
                Answers++;
                (bool Ok, Hash256 Hash, ulong BlockNumber) sent;
                try
                {
                    sent = await _rpc.SendAndWaitAsync(_chain.ChainId, _relayer.PrivateKey, _chain.Gateway, answer.Answer, DeliveryGas,
                        _module.Options.PollInterval, cancel).ConfigureAwait(false);
                }
                catch
                {
                    Answers--;
                    throw;
                }
                _carried.Add(Key(answer.Id));
                if (!sent.Ok)
                {
                    // Left to the next relayer (its turn comes later); this one does not try again.
                    Answers--;
                    LastError = $"the answer to RTC {answer.Id} on chain {_chain.ChainId} reverted";
                    continue;
                }
                _module.AnswerSettled(answer.Id, (sent.BlockNumber, sent.Hash));
                continue;
            }
            _carried.Add(Key(answer.Id));
            _module.AnswerSettled(answer.Id, null);
        }
    }

    private void CarryAnswers()
    {
        foreach (var (id, (source, answer, seenAtMs, _)) in _answers.ToList())
        {
            if (_module.GetRtc(id) is { } record && record.Status != RtcStatus.Pending)
            {
                _answers.Remove(id);
                continue;
            }
            if (NowMs < seenAtMs + WaitMs(id)) continue;
            if (_module.Chain(source) is not { } origin) continue;
            // Counted first: an automining origin settles the RTC inside SendTransaction, and a reader may look at once.
            Answers++;
            try
            {
                SendOnCluster(origin, answer);
            }
            catch
            {
                Answers--;
                throw;
            }
            _answers.Remove(id);
            _carried.Add(Key(id));
        }
    }

    /// <summary>Whether RTC <paramref name="id"/> (sent on the external chain) is PENDING there: IThalamus.Record is (sender, status, …), PENDING is 1.</summary>
    private async Task<bool> IsPendingOnExternalAsync(Hash256 id, CancellationToken cancel)
    {
        var record = await _rpc.EthCallAsync(_chain.Gateway, Abi.EncodeCall(RtcOf, id), cancel).ConfigureAwait(false);
        return record.Length >= 64 && new AbiReader(record).Word(1) == UInt256.One;
    }

    /// <summary>Signs <paramref name="data"/> to the gateway of member chain <paramref name="chain"/> with the relayer's key and submits it.</summary>
    private void SendOnCluster(MemberChain chain, byte[] data) =>
        chain.SendTransaction(TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = chain.ChainId,
            Nonce = chain.GetTransactionCount(_relayer.Address, BlockSelector.Pending),
            MaxPriorityFeePerGas = UInt256.Zero,
            MaxFeePerGas = chain.Head.BaseFeePerGas * new UInt256(2) + new UInt256(1_000_000_000),
            GasLimit = DeliveryGas,
            To = RtcPredeploys.Gateway,
            Data = data,
        }, _relayer.PrivateKey));

    // An answer carried is remembered apart from the delivery of the same id.
    private static Hash256 Key(in Hash256 id) => Keccak256.Compute(id.Bytes);

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _rpc.Dispose();
        _step.Dispose();
    }
}

/// <summary>
/// A relayer's progress on its external chain, stored by the rtc module with each slot (row <c>relayer/…</c>): read again
/// from <paramref name="NextBlock"/>; <paramref name="ScannedBlock"/> and <paramref name="ScannedHash"/> are the last block
/// read, which must still be the chain's for the cursor to count.
/// </summary>
internal sealed record RelayerCursor(ulong NextBlock, ulong ScannedBlock, Hash256 ScannedHash)
{
    public static readonly RelayerCursor Start = new(0, 0, default);

    public byte[] Encode()
    {
        var bytes = new byte[48];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, NextBlock);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), ScannedBlock);
        ScannedHash.Bytes.CopyTo(bytes.AsSpan(16));
        return bytes;
    }

    public static RelayerCursor? Decode(byte[] bytes) => bytes.Length != 48 ? null : new RelayerCursor(
        System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes),
        System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8)),
        new Hash256(bytes.AsSpan(16, 32)));
}
