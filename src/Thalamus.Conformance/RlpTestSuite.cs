using System.Numerics;
using System.Text;
using System.Text.Json;
using Thalamus.Core;

namespace Thalamus.Conformance;

/// <summary>
/// ethereum-tests/RLPTests. A valid case encodes <c>in</c> and compares with <c>out</c>, then decodes
/// <c>out</c> into an item tree and re-encodes it, which must give <c>out</c> back. A case whose
/// <c>in</c> is <c>"INVALID"</c> (or any case under an <c>invalid</c> folder) must fail to decode
/// with an <see cref="RlpException"/>; <c>"VALID"</c> cases only decode and re-encode.
/// Inputs: strings are their UTF-8 bytes, JSON numbers and <c>"#123…"</c> are unsigned integers, arrays are lists.
/// </summary>
public sealed class RlpTestSuite : IConformanceSuite
{
    public string Name => "rlp";

    public string DefaultRelativePath => "ethereum-tests/RLPTests";

    public IEnumerable<CaseOutcome> Run(string path)
    {
        foreach (var file in ConformancePaths.JsonFiles(path))
        {
            var fileName = Path.GetRelativePath(Directory.Exists(path) ? path : Path.GetDirectoryName(path)!, file);
            var folder = Path.GetDirectoryName(fileName) ?? "";
            var expectInvalid = folder.Split(Path.DirectorySeparatorChar).Any(p => p.Contains("invalid", StringComparison.OrdinalIgnoreCase));
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
                yield return RunCase($"{fileName}/{name}", testCase, expectInvalid);
        }
    }

    private static CaseOutcome RunCase(string name, JsonElement testCase, bool expectInvalid)
    {
        try
        {
            if (!testCase.TryGetProperty("in", out var input) || !testCase.TryGetProperty("out", out var outElement) || outElement.ValueKind != JsonValueKind.String)
                return CaseOutcome.Fail(name, "case lacks 'in' or a string 'out'");
            var outText = outElement.GetString()!;
            var isInvalid = expectInvalid || (input.ValueKind == JsonValueKind.String && input.GetString() == "INVALID");
            var decodeOnly = input.ValueKind == JsonValueKind.String && input.GetString() == "VALID";

            if (isInvalid)
            {
                if (!Hex.TryDecode(outText, out var bad))
                    return CaseOutcome.Pass(name); // not even hex: certainly not valid RLP
                try
                {
                    var item = RlpItem.Decode(bad);
                    return CaseOutcome.Fail(name, $"invalid RLP {Shorten(outText)} decoded without error as {item}");
                }
                catch (RlpException)
                {
                    return CaseOutcome.Pass(name);
                }
            }

            var expected = Hex.Decode(outText);
            if (!decodeOnly)
            {
                var encoded = RlpItem.FromJson(input).Encode();
                if (!encoded.AsSpan().SequenceEqual(expected))
                    return CaseOutcome.Fail(name, $"encoding mismatch: expected {Shorten(outText)}, got {Shorten(Hex.Encode(encoded))}");
            }

            var decoded = RlpItem.Decode(expected);
            var reencoded = decoded.Encode();
            if (!reencoded.AsSpan().SequenceEqual(expected))
                return CaseOutcome.Fail(name, $"decode/re-encode mismatch: expected {Shorten(outText)}, got {Shorten(Hex.Encode(reencoded))}");
            if (!decodeOnly)
            {
                var fromInput = RlpItem.FromJson(input);
                if (!fromInput.Equals(decoded))
                    return CaseOutcome.Fail(name, $"decoded item {decoded} differs from input {fromInput}");
            }
            return CaseOutcome.Pass(name);
        }
        catch (Exception e) when (e is RlpException or FormatException or ArgumentException or InvalidOperationException)
        {
            return CaseOutcome.Fail(name, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static List<(string Name, JsonElement Case)> LoadCases(string file)
    {
        using var stream = File.OpenRead(file);
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = 4096 });
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new InvalidOperationException("expected a JSON object of named cases at the top level");
        return document.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.Clone())).ToList();
    }

    private static string Shorten(string s) => s.Length <= 120 ? s : s[..117] + "...";

    /// <summary>A decoded RLP item: a byte string or a list of items.</summary>
    private sealed class RlpItem : IEquatable<RlpItem>
    {
        private RlpItem(byte[]? bytes, List<RlpItem>? items)
        {
            Bytes = bytes;
            Items = items;
        }

        public byte[]? Bytes { get; }

        public List<RlpItem>? Items { get; }

        public static RlpItem FromJson(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Array:
                    return new RlpItem(null, element.EnumerateArray().Select(FromJson).ToList());
                case JsonValueKind.Number:
                    return FromInteger(BigInteger.Parse(element.GetRawText(), System.Globalization.CultureInfo.InvariantCulture));
                case JsonValueKind.String:
                    var text = element.GetString()!;
                    if (text.Length > 1 && text[0] == '#')
                        return FromInteger(BigInteger.Parse(text.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture));
                    return new RlpItem(Encoding.UTF8.GetBytes(text), null);
                default:
                    throw new FormatException($"unsupported RLP test input {element.ValueKind}");
            }
        }

        private static RlpItem FromInteger(BigInteger value)
        {
            if (value.Sign < 0) throw new FormatException($"negative integer {value} in RLP test input");
            return new RlpItem(value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true), null);
        }

        public static RlpItem Decode(ReadOnlySpan<byte> encoded)
        {
            var reader = new RlpReader(encoded);
            var item = Read(ref reader, 0);
            reader.EnsureEnd();
            return item;
        }

        private static RlpItem Read(ref RlpReader reader, int depth)
        {
            if (depth > 1024) throw new RlpException("nesting deeper than 1024 levels");
            if (!reader.NextIsList) return new RlpItem(reader.ReadBytes().ToArray(), null);
            var list = reader.ReadList();
            var items = new List<RlpItem>();
            while (list.HasMore) items.Add(Read(ref list, depth + 1));
            return new RlpItem(null, items);
        }

        public byte[] Encode()
        {
            var writer = new RlpWriter();
            Write(writer);
            return writer.ToArray();
        }

        private void Write(RlpWriter writer)
        {
            if (Bytes is not null)
            {
                writer.WriteBytes(Bytes);
                return;
            }
            var marker = writer.StartList();
            foreach (var item in Items!) item.Write(writer);
            writer.EndList(marker);
        }

        public bool Equals(RlpItem? other)
        {
            if (other is null) return false;
            if (Bytes is not null) return other.Bytes is not null && Bytes.AsSpan().SequenceEqual(other.Bytes);
            return other.Items is not null && Items!.Count == other.Items.Count && Items.Zip(other.Items).All(p => p.First.Equals(p.Second));
        }

        public override bool Equals(object? obj) => Equals(obj as RlpItem);

        public override int GetHashCode() => Bytes?.Length ?? Items!.Count;

        public override string ToString() =>
            Bytes is not null ? Shorten(Hex.Encode(Bytes)) : "[" + string.Join(", ", Items!.Select(i => i.ToString())) + "]";
    }
}
