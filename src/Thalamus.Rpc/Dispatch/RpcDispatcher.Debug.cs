using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Chain.Tracing;

namespace Thalamus.Rpc;

// debug_trace*: geth's tracing methods, parameters and result shapes.
public sealed partial class RpcDispatcher
{
    private void TraceTransaction(ref ParamReader p, Utf8JsonWriter w)
    {
        var hash = p.ReadHash("transactionHash");
        var options = ReadTraceOptions(ref p);
        p.End();
        var tracer = Tracers.Create(options);
        if (!Backend.TraceTransaction(hash, tracer)) throw RpcException.ServerError($"transaction not found: {hash}");
        tracer.WriteResult(w);
    }

    private void TraceCall(ref ParamReader p, Utf8JsonWriter w)
    {
        var request = p.ReadCallRequest("transaction", out _);
        var block = p.ReadOptionalBlock("block");
        var options = ReadTraceOptions(ref p);
        p.End();
        var tracer = Tracers.Create(options);
        Backend.TraceCall(request, block, tracer);
        tracer.WriteResult(w);
    }

    private void TraceBlock(ref ParamReader p, Utf8JsonWriter w, bool byHash)
    {
        var block = byHash ? BlockSelector.FromHash(p.ReadHash("blockHash")) : p.ReadBlockTag("block");
        var options = ReadTraceOptions(ref p);
        p.End();
        Tracers.Create(options); // an unknown tracer fails before any work
        var traces = Backend.TraceBlock(block, () => Tracers.Create(options))
            ?? throw RpcException.ServerError(byHash ? $"block {block} not found" : $"block #{block} not found");
        w.WriteStartArray();
        foreach (var (hash, tracer) in traces)
        {
            w.WriteStartObject();
            w.WriteHash(TxHashName, hash);
            w.WritePropertyName(ResultName);
            tracer.WriteResult(w);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static readonly JsonEncodedText TxHashName = JsonEncodedText.Encode("txHash");

    /// <summary>geth's TraceConfig / TraceCallConfig: the struct logger's switches, tracer and tracerConfig (state and block overrides are refused).</summary>
    private static TraceOptions ReadTraceOptions(ref ParamReader p)
    {
        var options = new TraceOptions();
        if (!p.TryPeekKind("options", out var kind)) return options;
        if (kind != JsonTokenType.StartObject) p.Check("expected an object of trace options, got " + RpcJsonReader.Describe(kind));
        ref var r = ref p.Current;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var name = r.GetString()!;
            r.Read();
            if (r.TokenType == JsonTokenType.Null) continue;
            switch (name)
            {
                case "tracer":
                    p.Check(Prefix(name, RpcJsonReader.String(ref r, out var tracer)));
                    options = options with { Tracer = tracer.Length == 0 ? null : tracer };
                    break;
                case "disableStack": options = options with { DisableStack = ReadFlag(ref p, ref r, name) }; break;
                case "disableStorage": options = options with { DisableStorage = ReadFlag(ref p, ref r, name) }; break;
                case "enableMemory": options = options with { EnableMemory = ReadFlag(ref p, ref r, name) }; break;
                case "enableReturnData": options = options with { EnableReturnData = ReadFlag(ref p, ref r, name) }; break;
                case "limit":
                    p.Check(Prefix(name, RpcJsonReader.FlexibleUInt64(ref r, out var limit)));
                    options = options with { Limit = (int)Math.Min(limit, int.MaxValue) };
                    break;
                case "tracerConfig":
                    if (r.TokenType != JsonTokenType.StartObject) p.Check(Prefix(name, "expected an object, got " + RpcJsonReader.Describe(r.TokenType)));
                    while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                    {
                        var field = r.GetString()!;
                        r.Read();
                        if (r.TokenType == JsonTokenType.Null) continue;
                        switch (field)
                        {
                            case "onlyTopCall": options = options with { OnlyTopCall = ReadFlag(ref p, ref r, field) }; break;
                            case "withLog": options = options with { WithLog = ReadFlag(ref p, ref r, field) }; break;
                            case "diffMode": options = options with { DiffMode = ReadFlag(ref p, ref r, field) }; break;
                            case "disableCode": options = options with { DisableCode = ReadFlag(ref p, ref r, field) }; break;
                            case "disableStorage": options = options with { DisableStorage = ReadFlag(ref p, ref r, field) }; break;
                            default: r.Skip(); break;
                        }
                    }
                    break;
                case "stateOverrides" or "blockOverrides":
                    r.Skip();
                    p.Check($"{name} are not supported");
                    break;
                default: r.Skip(); break; // timeout, reexec: nothing to do here
            }
        }
        return options;
    }

    private static bool ReadFlag(ref ParamReader p, ref Utf8JsonReader r, string name)
    {
        p.Check(Prefix(name, RpcJsonReader.Bool(ref r, out var value)));
        return value;
    }
}
