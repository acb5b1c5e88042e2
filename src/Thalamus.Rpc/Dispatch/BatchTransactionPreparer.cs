using System.Text.Json;
using Thalamus.Chain;

namespace Thalamus.Rpc;

/// <summary>
/// Pipelines a JSON-RPC batch's <c>eth_sendRawTransaction</c> entries: a thread-pool worker
/// decodes them and recovers their senders (the costliest step, ~40 µs each) in batch order
/// while the dispatcher runs the entries one by one, so on a multi-core machine recovery of the
/// next transactions overlaps the sealing of the current one. The dispatcher still runs every
/// entry in order through the normal path; it only takes a prepared transaction when one is
/// ready for that entry (the same bytes), and does the work itself otherwise. Errors are never
/// reported from here: an entry that fails to prepare is simply not prepared.
/// </summary>
internal sealed class BatchTransactionPreparer
{
    private const int Pending = 0, Claimed = 1, Done = 2;

    private readonly IEthereumBackend _backend;
    private readonly byte[]?[] _raws;
    private readonly Transaction?[] _prepared;
    private readonly int[] _states;
    private volatile bool _cancelled;

    private BatchTransactionPreparer(IEthereumBackend backend, byte[]?[] raws)
    {
        _backend = backend;
        _raws = raws;
        _prepared = new Transaction?[raws.Length];
        _states = new int[raws.Length];
    }

    /// <summary>
    /// Starts preparing the raw transactions of <paramref name="body"/>'s entries (given as
    /// ranges); null when there are fewer than two, or one core only (nothing to overlap).
    /// </summary>
    public static BatchTransactionPreparer? Start(IEthereumBackend backend, ReadOnlySpan<byte> body, ReadOnlySpan<(int Start, int End)> ranges)
    {
        if (Environment.ProcessorCount < 2 || ranges.Length < 2) return null;
        byte[]?[]? raws = null;
        var found = 0;
        for (var i = 0; i < ranges.Length; i++)
        {
            var raw = RawTransactionOf(body[ranges[i].Start..ranges[i].End]);
            if (raw is null) continue;
            raws ??= new byte[ranges.Length][];
            raws[i] = raw;
            found++;
        }
        if (raws is null || found < 2) return null;
        var preparer = new BatchTransactionPreparer(backend, raws);
        ThreadPool.UnsafeQueueUserWorkItem(static p => p.Run(), preparer, preferLocal: false);
        return preparer;
    }

    /// <summary>
    /// The prepared transaction of entry <paramref name="index"/> if it is (or is about to be)
    /// ready and was made from exactly <paramref name="raw"/>; otherwise null, and the worker
    /// will not touch that entry any more.
    /// </summary>
    public Transaction? Take(int index, ReadOnlySpan<byte> raw)
    {
        if ((uint)index >= (uint)_raws.Length || _raws[index] is not { } prepared) return null;
        var state = Interlocked.CompareExchange(ref _states[index], Claimed, Pending);
        if (state == Pending) return null; // the worker is behind: the caller does it itself
        var spin = new SpinWait();
        while (Volatile.Read(ref _states[index]) != Done) spin.SpinOnce(sleep1Threshold: -1);
        return raw.SequenceEqual(prepared) ? _prepared[index] : null;
    }

    /// <summary>Stops the worker (the batch is done); entries it has not started are left alone.</summary>
    public void Cancel() => _cancelled = true;

    private void Run()
    {
        for (var i = 0; i < _raws.Length && !_cancelled; i++)
        {
            if (_raws[i] is not { } raw) continue;
            if (Interlocked.CompareExchange(ref _states[i], Claimed, Pending) != Pending) continue;
            try
            {
                _prepared[i] = _backend.PrepareRawTransaction(raw);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Not prepared: the dispatcher's normal path meets (and reports) the same problem.
                _prepared[i] = null;
            }
            finally
            {
                Volatile.Write(ref _states[i], Done);
            }
        }
    }

    /// <summary>The decoded first parameter of an <c>eth_sendRawTransaction</c> request object; null for anything else.</summary>
    private static byte[]? RawTransactionOf(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            var isSend = false;
            byte[]? raw = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("method"u8))
                {
                    reader.Read();
                    isSend = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("eth_sendRawTransaction"u8);
                    if (!isSend) return null;
                }
                else if (reader.ValueTextEquals("params"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray) return null;
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence) return null;
                    if (RpcHex.TryParseData(reader.ValueSpan, out var bytes) is not null || bytes.Length == 0) return null;
                    raw = bytes;
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.EndArray) return null;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            return isSend ? raw : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
