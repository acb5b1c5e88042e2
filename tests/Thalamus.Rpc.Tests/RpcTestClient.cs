using System.Text;
using System.Text.Json;

namespace Thalamus.Rpc.Tests;

/// <summary>Drives a dispatcher in process: JSON text in, parsed JSON out.</summary>
internal static class RpcTestClient
{
    public static string ProcessRaw(RpcDispatcher dispatcher, string body, RpcSession? session = null)
    {
        using var output = new PooledBufferWriter();
        dispatcher.Process(Encoding.UTF8.GetBytes(body), output, session);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    public static JsonElement Process(RpcDispatcher dispatcher, string body, RpcSession? session = null)
    {
        var text = ProcessRaw(dispatcher, body, session);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>One request; returns the whole response object.</summary>
    public static JsonElement Request(RpcDispatcher dispatcher, string method, string paramsJson = "[]", RpcSession? session = null) =>
        Process(dispatcher, $$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}","params":{{paramsJson}}}""", session);

    /// <summary>One request expected to succeed; returns its result.</summary>
    public static JsonElement Result(RpcDispatcher dispatcher, string method, string paramsJson = "[]", RpcSession? session = null)
    {
        var response = Request(dispatcher, method, paramsJson, session);
        if (response.TryGetProperty("error", out var error)) throw new Xunit.Sdk.XunitException($"{method} failed: {error}");
        return response.GetProperty("result");
    }

    /// <summary>One request expected to fail; returns (code, message, data or null).</summary>
    public static (int Code, string Message, string? Data) Error(RpcDispatcher dispatcher, string method, string paramsJson = "[]", RpcSession? session = null)
    {
        var response = Request(dispatcher, method, paramsJson, session);
        if (!response.TryGetProperty("error", out var error)) throw new Xunit.Sdk.XunitException($"{method} succeeded: {response}");
        return (error.GetProperty("code").GetInt32(), error.GetProperty("message").GetString()!,
            error.TryGetProperty("data", out var data) ? data.GetString() : null);
    }
}
