using System.Text;
using System.Text.Json;
using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Conformance;

/// <summary>
/// ethereum-tests/TrieTests. <c>in</c> is an ordered list of [key, value] pairs (trietest) or an
/// object (trieanyorder); a null value deletes. Keys and values starting with <c>0x</c> are hex,
/// others UTF-8. Files named <c>*secureTrie*</c> hash keys first. Each case builds the trie, checks
/// <c>root</c>, then commits, reopens from the store and checks every key and the root again.
/// <c>trietestnextprev</c> cases check each probe's predecessor and successor in key order.
/// </summary>
public sealed class TrieTestSuite : IConformanceSuite
{
    public string Name => "trie";

    public string DefaultRelativePath => "ethereum-tests/TrieTests";

    public IEnumerable<CaseOutcome> Run(string path)
    {
        foreach (var file in ConformancePaths.JsonFiles(path))
        {
            var fileName = Path.GetRelativePath(Directory.Exists(path) ? path : Path.GetDirectoryName(path)!, file);
            var secure = Path.GetFileName(file).Contains("securetrie", StringComparison.OrdinalIgnoreCase);
            List<(string Name, JsonElement Case)> cases;
            string? loadError = null;
            try
            {
                cases = LoadCases(file);
            }
            catch (Exception e) when (e is JsonException or IOException or InvalidOperationException)
            {
                cases = [];
                loadError = e.Message;
            }
            if (loadError is not null)
            {
                yield return CaseOutcome.Fail(fileName, $"cannot read test file: {loadError}");
                continue;
            }
            foreach (var (name, testCase) in cases)
                yield return RunCase($"{fileName}/{name}", testCase, secure);
        }
    }

    private static CaseOutcome RunCase(string name, JsonElement testCase, bool secure)
    {
        try
        {
            if (!testCase.TryGetProperty("in", out var input))
                return CaseOutcome.Fail(name, "case lacks 'in'");
            if (testCase.TryGetProperty("tests", out var probes))
                return RunNextPrevious(name, input, probes);
            if (!testCase.TryGetProperty("root", out var rootElement))
                return CaseOutcome.Fail(name, "case lacks 'root'");

            var operations = ReadOperations(input);
            var store = new MemoryKeyValueStore();
            var trie = new PatriciaTrie(store);
            var expectedMap = new Dictionary<string, byte[]>();
            foreach (var (key, value) in operations)
            {
                var trieKey = secure ? Keccak256.Compute(key).ToArray() : key;
                if (value is null || value.Length == 0)
                {
                    trie.Delete(trieKey);
                    expectedMap.Remove(Convert.ToHexString(trieKey));
                }
                else
                {
                    trie.Set(trieKey, value);
                    expectedMap[Convert.ToHexString(trieKey)] = value;
                }
            }

            var expectedRoot = Hash256.Parse(rootElement.GetString() ?? "");
            var root = trie.RootHash;
            if (root != expectedRoot)
                return CaseOutcome.Fail(name, $"root {root}, expected {expectedRoot}");

            // Persist, reopen and read everything back through the store.
            trie.Commit();
            var reopened = new PatriciaTrie(store, root);
            foreach (var (hexKey, value) in expectedMap)
            {
                var read = reopened.Get(Convert.FromHexString(hexKey));
                if (read is null || !read.AsSpan().SequenceEqual(value))
                    return CaseOutcome.Fail(name, $"after reopening, key 0x{hexKey.ToLowerInvariant()} reads {(read is null ? "nothing" : Hex.Encode(read))}, expected {Hex.Encode(value)}");
            }
            var enumerated = reopened.Enumerate().Count();
            if (enumerated != expectedMap.Count)
                return CaseOutcome.Fail(name, $"after reopening, the trie holds {enumerated} keys, expected {expectedMap.Count}");
            if (reopened.RootHash != expectedRoot)
                return CaseOutcome.Fail(name, $"after reopening, root {reopened.RootHash}, expected {expectedRoot}");
            return CaseOutcome.Pass(name);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or TrieException or RlpException)
        {
            return CaseOutcome.Fail(name, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Each probe is [key, previous key or "", next key or ""] over the inserted keys.</summary>
    private static CaseOutcome RunNextPrevious(string name, JsonElement input, JsonElement probes)
    {
        var trie = new PatriciaTrie();
        foreach (var key in input.EnumerateArray())
        {
            var bytes = DecodeText(key);
            trie.Set(bytes, bytes);
        }
        var keys = trie.Enumerate().Select(pair => pair.Key).ToList();
        foreach (var probe in probes.EnumerateArray())
        {
            var items = probe.EnumerateArray().ToArray();
            if (items.Length != 3) return CaseOutcome.Fail(name, "a probe must be [key, previous, next]");
            var key = DecodeText(items[0]);
            var previous = keys.LastOrDefault(k => k.AsSpan().SequenceCompareTo(key) < 0) ?? [];
            var next = keys.FirstOrDefault(k => k.AsSpan().SequenceCompareTo(key) > 0) ?? [];
            var expectedPrevious = DecodeText(items[1]);
            var expectedNext = DecodeText(items[2]);
            if (!previous.AsSpan().SequenceEqual(expectedPrevious) || !next.AsSpan().SequenceEqual(expectedNext))
                return CaseOutcome.Fail(name, $"around '{Encoding.UTF8.GetString(key)}': previous '{Encoding.UTF8.GetString(previous)}', next '{Encoding.UTF8.GetString(next)}'; expected '{Encoding.UTF8.GetString(expectedPrevious)}', '{Encoding.UTF8.GetString(expectedNext)}'");
        }
        return CaseOutcome.Pass(name);
    }

    private static List<(byte[] Key, byte[]? Value)> ReadOperations(JsonElement input)
    {
        var operations = new List<(byte[] Key, byte[]? Value)>();
        if (input.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in input.EnumerateObject())
                operations.Add((DecodeText(property.Name), property.Value.ValueKind == JsonValueKind.Null ? null : DecodeText(property.Value)));
        }
        else if (input.ValueKind == JsonValueKind.Array)
        {
            foreach (var pair in input.EnumerateArray())
            {
                var items = pair.EnumerateArray().ToArray();
                if (items.Length != 2) throw new FormatException("each 'in' entry must be a [key, value] pair");
                operations.Add((DecodeText(items[0]), items[1].ValueKind == JsonValueKind.Null ? null : DecodeText(items[1])));
            }
        }
        else
        {
            throw new FormatException($"'in' must be an object or an array, not {input.ValueKind}");
        }
        return operations;
    }

    private static byte[] DecodeText(JsonElement element) =>
        element.ValueKind == JsonValueKind.String
            ? DecodeText(element.GetString()!)
            : throw new FormatException($"expected a string, found {element.ValueKind}");

    private static byte[] DecodeText(string text) =>
        text.StartsWith("0x", StringComparison.Ordinal) ? Hex.Decode(text) : Encoding.UTF8.GetBytes(text);

    private static List<(string Name, JsonElement Case)> LoadCases(string file)
    {
        using var stream = File.OpenRead(file);
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = 4096 });
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new InvalidOperationException("expected a JSON object of named cases at the top level");
        return document.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.Clone())).ToList();
    }
}
