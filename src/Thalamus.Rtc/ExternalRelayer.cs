using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Rtc;

/// <summary>
/// One provider of an external chain: a relayer inside the node. It carries the cluster's RTCs to the
/// external chain (an <c>RtcOutbound</c> event's delivery, sent to the external gateway with its key over
/// JSON-RPC) and their answers back (the external gateway's <c>RtcAnswered</c> events, sent to the origin
/// gateway with the same key). Provider k of a chain (k = 0 preferred) waits k × FailoverAfter after it
/// sees an RTC or an answer before it carries it itself, and first checks that nobody has: the external
/// gateway delivers an id once and the origin ignores a second answer, so a relayer that dies anywhere
/// mid-flight is replaced without losing or duplicating the RTC.
/// </summary>
public sealed class ExternalRelayer : IAsyncDisposable
{
    private const ulong DeliveryGas = 8_000_000;
    private static readonly Hash256 RtcAnswered = Abi.EventTopic("RtcAnswered(bytes32,uint256,bytes)");
    private static readonly AbiSelector Delivered = Abi.Selector("delivered(bytes32)");

    private readonly RtcModule _module;
    private readonly ExternalChainOptions _chain;
    private readonly RelayerOptions _relayer;
    private readonly ExternalRpc _rpc;
    private readonly HashSet<Hash256> _carried = [];
    private readonly Dictionary<Hash256, (ulong Source, byte[] Answer, long SeenAtMs)> _answers = [];
    private readonly SemaphoreSlim _step = new(1, 1);
    private ulong _nextBlock;
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

    /// <summary>RTCs this relayer delivered to the external chain, and answers it carried back.</summary>
    public int Deliveries { get; private set; }
    public int Answers { get; private set; }

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

    /// <summary>One poll: deliver what is due, read the external gateway's answers, carry back what is due.</summary>
    public async Task StepAsync(CancellationToken cancel = default)
    {
        await _step.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            await DeliverDueAsync(cancel).ConfigureAwait(false);
            await ReadAnswersAsync(cancel).ConfigureAwait(false);
            CarryAnswers();
            LastError = null;
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
            var ok = await _rpc.SendAndWaitAsync(_chain.ChainId, _relayer.PrivateKey, _chain.Gateway, outbound.Delivery, DeliveryGas,
                _module.Options.PollInterval, cancel).ConfigureAwait(false);
            _carried.Add(outbound.Id);
            if (ok) Deliveries++;
            else LastError = $"the delivery of RTC {outbound.Id} to chain {_chain.ChainId} reverted";
        }
    }

    private async Task ReadAnswersAsync(CancellationToken cancel)
    {
        var head = await _rpc.BlockNumberAsync(cancel).ConfigureAwait(false);
        if (head < _nextBlock) return;
        foreach (var (topics, data, _) in await _rpc.LogsAsync(_chain.Gateway, RtcAnswered, _nextBlock, head, cancel).ConfigureAwait(false))
        {
            if (topics.Length != 3) continue;
            var id = topics[1];
            if (_answers.ContainsKey(id) || _carried.Contains(Key(id))) continue;
            byte[] answer;
            try
            {
                answer = new AbiReader(data).Bytes(0);
            }
            catch (AbiException)
            {
                continue;
            }
            _answers[id] = ((ulong)topics[2].ToUInt256(), answer, NowMs);
        }
        _nextBlock = head + 1;
    }

    private void CarryAnswers()
    {
        foreach (var (id, (source, answer, seenAtMs)) in _answers.ToList())
        {
            if (_module.GetRtc(id) is { } record && record.Status != RtcStatus.Pending)
            {
                _answers.Remove(id);
                continue;
            }
            if (NowMs < seenAtMs + WaitMs(id)) continue;
            if (_module.Chain(source) is not { } origin) continue;
            var tx = TransactionSigner.Sign(new Transaction
            {
                Type = TxType.DynamicFee,
                ChainId = origin.ChainId,
                Nonce = origin.GetTransactionCount(_relayer.Address, BlockSelector.Pending),
                MaxPriorityFeePerGas = UInt256.Zero,
                MaxFeePerGas = origin.Head.BaseFeePerGas * new UInt256(2) + new UInt256(1_000_000_000),
                GasLimit = DeliveryGas,
                To = RtcPredeploys.Gateway,
                Data = answer,
            }, _relayer.PrivateKey);
            // Counted first: an automining origin settles the RTC inside SendTransaction, and a reader may look at once.
            Answers++;
            try
            {
                origin.SendTransaction(tx);
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

    // An answer carried is remembered apart from the delivery of the same id.
    private static Hash256 Key(in Hash256 id) => Keccak256.Compute(id.Bytes);

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _rpc.Dispose();
        _step.Dispose();
    }
}
