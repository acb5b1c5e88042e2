using System.Text.Json;
using Thalamus.Core;

namespace Thalamus.Conformance;

/// <summary>One <c>post.Cancun[i]</c> entry: the transaction bytes and the expected root, logs hash and exception.</summary>
internal sealed record StateTestExpectation(byte[] TransactionBytes, Hash256 StateRoot, Hash256 LogsHash, string? ExpectedException, int DataIndex, int GasIndex, int ValueIndex)
{
    public string IndexLabel => $"d{DataIndex}g{GasIndex}v{ValueIndex}";

    public static StateTestExpectation Parse(JsonElement entry)
    {
        var indexes = entry.GetProperty("indexes");
        return new StateTestExpectation(
            Hex.Decode(entry.GetProperty("txbytes").GetString()!),
            Hash256.Parse(entry.GetProperty("hash").GetString()!),
            Hash256.Parse(entry.GetProperty("logs").GetString()!),
            entry.TryGetProperty("expectException", out var e) ? e.GetString() : null,
            indexes.GetProperty("data").GetInt32(),
            indexes.GetProperty("gas").GetInt32(),
            indexes.GetProperty("value").GetInt32());
    }
}
