using System.Text;
using System.Text.Json;

namespace Thalamus.Integration.Tests;

/// <summary>A minimal JSON-RPC 2.0 client over HTTP for the cluster tests (one endpoint).</summary>
internal sealed class ClusterJsonRpc(Uri url) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private int _id;

    public Uri Url { get; } = url;

    /// <summary>Calls <paramref name="method"/>; returns the result (a clone), or throws with the node's error.</summary>
    public async Task<JsonElement> CallAsync(string method, params object?[] parameters)
    {
        var request = JsonSerializer.Serialize(new { jsonrpc = "2.0", id = Interlocked.Increment(ref _id), method, @params = parameters });
        using var content = new StringContent(request, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(Url, content);
        string body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        if (document.RootElement.TryGetProperty("error", out var error))
            throw new ClusterRpcException($"{method} failed: {error.GetRawText()}");
        return document.RootElement.GetProperty("result").Clone();
    }

    public void Dispose() => _http.Dispose();
}
