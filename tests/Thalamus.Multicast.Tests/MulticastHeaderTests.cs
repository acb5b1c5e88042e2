using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Multicast.Tests;

/// <summary>The C# and the Solidity header codecs against the one vector file (tests/vectors/multicast-header.json).</summary>
public sealed class MulticastHeaderTests
{
    public sealed record Vector(string Name, byte[] Message, byte? Version, byte? Type, ushort? Flags, string? Error);

    public static IReadOnlyList<Vector> Vectors()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "multicast-header.json")));
        return [.. json.RootElement.GetProperty("vectors").EnumerateArray().Select(v => new Vector(
            v.GetProperty("name").GetString()!,
            Hex.Decode(v.GetProperty("message").GetString()!),
            v.TryGetProperty("version", out var version) ? version.GetByte() : null,
            v.TryGetProperty("type", out var type) ? type.GetByte() : null,
            v.TryGetProperty("flags", out var flags) ? flags.GetUInt16() : null,
            v.TryGetProperty("error", out var error) ? error.GetString() : null))];
    }

    [Fact]
    public void The_vector_file_has_valid_and_refused_headers_of_every_kind()
    {
        var vectors = Vectors();
        Assert.True(vectors.Count(v => v.Error is null) >= 4);
        Assert.Contains(vectors, v => v.Error?.Contains("unknown header version") == true);
        Assert.Contains(vectors, v => v.Error?.Contains("unknown header type") == true);
        Assert.Contains(vectors, v => v.Error?.Contains("reserved") == true);
        Assert.Contains(vectors, v => v.Error?.Contains("flags") == true);
    }

    [Fact]
    public void The_csharp_codec_decodes_every_vector_as_the_file_says()
    {
        foreach (var vector in Vectors())
        {
            var ok = MulticastHeader.TryDecode(vector.Message, out var header, out var error);
            Assert.True(ok == (vector.Error is null), vector.Name);
            if (vector.Error is not null)
            {
                Assert.Equal(vector.Error, error);
                Assert.Equal(vector.Error, Assert.Throws<FormatException>(() => MulticastHeader.Decode(vector.Message)).Message);
                continue;
            }
            Assert.Equal((vector.Version, vector.Type, vector.Flags), ((byte?)header.Version, (byte?)header.Type, (ushort?)header.Flags));
            // Encoding the decoded header gives the vector's first 4 bytes back.
            Assert.Equal(vector.Message, header.Message(vector.Message.AsSpan(MulticastHeader.Size)));
        }
    }

    [Fact]
    public async Task The_solidity_codec_run_in_the_evm_decodes_every_vector_as_the_file_says()
    {
        await using var kit = new MulticastKit(chains: 1);
        foreach (var vector in Vectors())
        {
            var result = kit[0].Call(new CallRequest { To = MulticastPredeploys.Multicaster, Data = Abi.Call("decodeHeader(bytes)", AbiValue.Bytes(vector.Message)) }, BlockSelector.Latest);
            if (vector.Error is not null)
            {
                Assert.False(result.Success, vector.Name);
                Assert.Equal(vector.Error, result.RevertReason);
                continue;
            }
            Assert.True(result.Success, vector.Name + ": " + result.RevertReason);
            var r = new AbiReader(result.ReturnData);
            Assert.Equal((vector.Version, vector.Type, vector.Flags), ((byte?)r.UInt64(0), (byte?)r.UInt64(1), (ushort?)r.UInt64(2)));
        }
    }
}
