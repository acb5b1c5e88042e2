using System.Text.Encodings.Web;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Rpc;

/// <summary>
/// The transport-independent JSON-RPC 2.0 engine of one chain: takes a request body (single or
/// batch) and writes the response body. HTTP and WebSocket both call <see cref="Process"/>;
/// tests call it directly. Processing is synchronous: the backend is an in-memory chain.
/// Bad input never escapes as an exception: every failure becomes a JSON-RPC error object.
/// </summary>
public sealed partial class RpcDispatcher : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private static readonly JsonEncodedText JsonRpcName = JsonEncodedText.Encode("jsonrpc");
    private static readonly JsonEncodedText VersionValue = JsonEncodedText.Encode("2.0");
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText ResultName = JsonEncodedText.Encode("result");
    private static readonly JsonEncodedText ErrorName = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText CodeName = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText DataName = JsonEncodedText.Encode("data");

    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    // The batch being processed on this thread and the entry running now (eth_sendRawTransaction
    // takes its transaction ready-decoded from the batch's preparer when it can).
    [ThreadStatic] private static BatchTransactionPreparer? t_batch;
    [ThreadStatic] private static int t_batchIndex;

    private readonly object _sendTransactionLock = new();

    public RpcDispatcher(IEthereumBackend backend, RpcServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        Backend = backend;
        Options = options ?? new RpcServerOptions();
        Filters = new FilterManager(this);
        Subscriptions = new SubscriptionHub(this);
        Backend.BlockSealed += OnBlockSealed;
        Backend.PendingTransactionAdded += OnPendingTransaction;
    }

    public IEthereumBackend Backend { get; }

    public RpcServerOptions Options { get; }

    internal FilterManager Filters { get; }

    internal SubscriptionHub Subscriptions { get; }

    /// <summary>
    /// Handles one request body and writes the response to <paramref name="output"/> (nothing
    /// when every request was a notification). <paramref name="session"/> is the WebSocket
    /// connection for subscriptions, or null over HTTP.
    /// </summary>
    public void Process(ReadOnlySpan<byte> body, PooledBufferWriter output, RpcSession? session = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = RentWriter(output);
        try
        {
            // Some clients send a UTF-8 byte order mark; JSON forbids it, but it is harmless.
            if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) body = body[3..];
            var start = 0;
            while (start < body.Length && IsWhitespace(body[start])) start++;
            if (start == body.Length)
            {
                WriteError(writer, output, default, RpcErrorCodes.ParseError, "parse error: empty request body", null);
                return;
            }
            if (body[start] == (byte)'[') ProcessBatch(body, output, writer, session);
            else ProcessSingle(body, output, writer, session);
        }
        finally
        {
            writer.Reset(Stream.Null);
        }
    }

    /// <summary>Writes a lone error response (id null), for transport-level failures such as an oversized body.</summary>
    public static void WriteTransportError(PooledBufferWriter output, int code, string message)
    {
        var writer = RentWriter(output);
        try
        {
            WriteError(writer, output, default, code, message, null);
        }
        finally
        {
            writer.Reset(Stream.Null);
        }
    }

    private void ProcessSingle(ReadOnlySpan<byte> body, PooledBufferWriter output, Utf8JsonWriter writer, RpcSession? session)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            reader.Read();
            reader.Skip();
            if (reader.Read()) throw new JsonException("unexpected data after the request");
        }
        catch (JsonException e)
        {
            WriteError(writer, output, default, RpcErrorCodes.ParseError, "parse error: " + FirstLine(e.Message), null);
            return;
        }
        ProcessEnvelope(body, output, writer, session);
    }

    private void ProcessBatch(ReadOnlySpan<byte> body, PooledBufferWriter output, Utf8JsonWriter writer, RpcSession? session)
    {
        var limit = Options.MaxBatchSize;
        var ranges = System.Buffers.ArrayPool<(int Start, int End)>.Shared.Rent(Math.Min(limit, 256));
        var count = 0;
        try
        {
            var reader = new Utf8JsonReader(body);
            try
            {
                reader.Read(); // '['
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var startIndex = (int)reader.TokenStartIndex;
                    reader.Skip();
                    if (count < limit)
                    {
                        if (count == ranges.Length)
                        {
                            var grown = System.Buffers.ArrayPool<(int, int)>.Shared.Rent(Math.Min(limit, ranges.Length * 2));
                            ranges.AsSpan(0, count).CopyTo(grown);
                            System.Buffers.ArrayPool<(int, int)>.Shared.Return(ranges);
                            ranges = grown;
                        }
                        ranges[count] = (startIndex, (int)reader.BytesConsumed);
                    }
                    count++;
                }
                if (reader.Read()) throw new JsonException("unexpected data after the batch");
            }
            catch (JsonException e)
            {
                WriteError(writer, output, default, RpcErrorCodes.ParseError, "parse error: " + FirstLine(e.Message), null);
                return;
            }
            if (count == 0)
            {
                WriteError(writer, output, default, RpcErrorCodes.InvalidRequest, "empty batch", null);
                return;
            }
            if (count > limit)
            {
                WriteError(writer, output, default, RpcErrorCodes.InvalidRequest, $"batch too large: {count} requests, the limit is {limit}", null);
                return;
            }
            var open = output.WrittenCount;
            output.Write((byte)'[');
            var responses = 0;
            var preparer = BatchTransactionPreparer.Start(Backend, body, ranges.AsSpan(0, count));
            try
            {
                for (var i = 0; i < count; i++)
                {
                    var mark = output.WrittenCount;
                    if (responses > 0) output.Write((byte)',');
                    t_batch = preparer;
                    t_batchIndex = i;
                    if (ProcessEnvelope(body[ranges[i].Start..ranges[i].End], output, writer, session)) responses++;
                    else output.Truncate(mark);
                }
            }
            finally
            {
                t_batch = null;
                preparer?.Cancel();
            }
            if (responses == 0) output.Truncate(open); // all notifications: no response at all
            else output.Write((byte)']');
        }
        finally
        {
            System.Buffers.ArrayPool<(int, int)>.Shared.Return(ranges);
        }
    }

    /// <summary>Handles one request object (already known to be well-formed JSON). Returns false for a notification (nothing written).</summary>
    private bool ProcessEnvelope(ReadOnlySpan<byte> json, PooledBufferWriter output, Utf8JsonWriter writer, RpcSession? session)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            WriteError(writer, output, default, RpcErrorCodes.InvalidRequest, "invalid request: expected a JSON object, got " + RpcJsonReader.Describe(reader.TokenType), null);
            return true;
        }
        ReadOnlySpan<byte> id = default;
        var hasId = false;
        var idValid = true;
        var versionValid = false;
        string? method = null;
        var methodValid = false;
        ReadOnlySpan<byte> parameters = default;
        var paramsValid = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("jsonrpc"u8))
            {
                reader.Read();
                versionValid = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("2.0"u8);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                hasId = true;
                var start = (int)reader.TokenStartIndex;
                idValid = reader.TokenType is JsonTokenType.String or JsonTokenType.Number or JsonTokenType.Null;
                reader.Skip();
                id = idValid ? json[start..(int)reader.BytesConsumed] : default;
            }
            else if (reader.ValueTextEquals("method"u8))
            {
                reader.Read();
                methodValid = reader.TokenType == JsonTokenType.String;
                method = methodValid ? reader.GetString() : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("params"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                var kind = reader.TokenType;
                reader.Skip();
                if (kind == JsonTokenType.StartArray) parameters = json[start..(int)reader.BytesConsumed];
                else if (kind != JsonTokenType.Null) paramsValid = false;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!idValid)
        {
            WriteError(writer, output, default, RpcErrorCodes.InvalidRequest, "invalid request: id must be a string, a number or null", null);
            return true;
        }
        if (!versionValid || !methodValid || string.IsNullOrEmpty(method))
        {
            var why = !versionValid ? "jsonrpc must be \"2.0\"" : "method must be a non-empty string";
            WriteError(writer, output, id, RpcErrorCodes.InvalidRequest, "invalid request: " + why, null);
            return true;
        }

        // A notification still runs (JSON-RPC 2.0), but its response is discarded.
        var mark = output.WrittenCount;
        writer.Reset(output);
        try
        {
            Options.Access.Demand(method); // who may call what, before any work; allocation-free when served
            if (!paramsValid) throw RpcException.InvalidParams("non-array args: params must be an array");
            writer.WriteStartObject();
            writer.WriteString(JsonRpcName, VersionValue);
            writer.WritePropertyName(IdName);
            writer.WriteRawValue(id.IsEmpty ? "null"u8 : id, skipInputValidation: true);
            writer.WritePropertyName(ResultName);
            Invoke(method, parameters, session, writer);
            writer.WriteEndObject();
            writer.Flush();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            writer.Reset(output);
            output.Truncate(mark);
            var (code, message, data) = ToError(e);
            WriteError(writer, output, id, code, message, data);
        }
        if (!hasId)
        {
            output.Truncate(mark);
            return false;
        }
        return true;
    }

    private (int Code, string Message, byte[]? Data) ToError(Exception e)
    {
        switch (e)
        {
            case RpcException rpc: return (rpc.Code, rpc.Message, rpc.ErrorData);
            case ChainException chain: return (chain.Code, chain.Message, chain.ErrorData);
            case InvalidTransactionException invalid: return (RpcErrorCodes.ServerError, invalid.Message, null);
            // Fork mode: the remote chain did not give a value this request needed (cached state keeps being served).
            case Thalamus.State.RemoteStateException remote: return (RpcErrorCodes.ServerError, remote.Message, null);
            case NotSupportedException unsupported: return (RpcErrorCodes.MethodNotFound, unsupported.Message, null);
            case ArgumentException or FormatException or OverflowException: return (RpcErrorCodes.InvalidParams, e.Message, null);
            default:
                Options.OnInternalError?.Invoke(e);
                return (RpcErrorCodes.InternalError, "internal error: " + e.Message, null);
        }
    }

    private static void WriteError(Utf8JsonWriter writer, PooledBufferWriter output, ReadOnlySpan<byte> id, int code, string message, byte[]? data)
    {
        writer.Reset(output);
        writer.WriteStartObject();
        writer.WriteString(JsonRpcName, VersionValue);
        writer.WritePropertyName(IdName);
        writer.WriteRawValue(id.IsEmpty ? "null"u8 : id, skipInputValidation: true);
        writer.WritePropertyName(ErrorName);
        writer.WriteStartObject();
        writer.WriteNumber(CodeName, code);
        writer.WriteString(MessageName, message);
        if (data is not null) writer.WriteData(DataName, data);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
    }

    private static Utf8JsonWriter RentWriter(PooledBufferWriter output)
    {
        var writer = t_writer;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(output, WriterOptions);
            t_writer = writer;
        }
        else
        {
            writer.Reset(output);
        }
        return writer;
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private static string FirstLine(string message)
    {
        var newline = message.IndexOf('\n');
        return newline < 0 ? message : message[..newline].TrimEnd();
    }

    private void OnBlockSealed(Block block, IReadOnlyList<TransactionReceipt> receipts) => Subscriptions.OnBlockSealed(block, receipts);

    private void OnPendingTransaction(Hash256 hash)
    {
        Subscriptions.OnPendingTransaction(hash);
        Filters.OnPendingTransaction(hash);
    }

    public void Dispose()
    {
        Backend.BlockSealed -= OnBlockSealed;
        Backend.PendingTransactionAdded -= OnPendingTransaction;
        Subscriptions.Dispose();
        Filters.Dispose();
    }
}
