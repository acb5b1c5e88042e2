using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>
/// EIP-712 typed structured data: the digest <c>keccak256(0x1901 ‖ hashStruct(domain) ‖ hashStruct(message))</c>
/// of the JSON that eth_signTypedData_v4 takes (<c>{types, primaryType, domain, message}</c>), with
/// arrays encoded as MetaMask's v4 encodes them. Errors are <see cref="FormatException"/> naming the field.
/// </summary>
public static class TypedData
{
    private const string DomainType = "EIP712Domain";

    // The domain's fields in the order EIP-712 lists them, used when "types" omits EIP712Domain.
    private static readonly (string Name, string Type)[] s_domainFields =
        [("name", "string"), ("version", "string"), ("chainId", "uint256"), ("verifyingContract", "address"), ("salt", "bytes32")];

    /// <summary>The digest to sign for <paramref name="typedData"/>.</summary>
    /// <exception cref="FormatException">the typed data is malformed.</exception>
    public static Hash256 Hash(JsonElement typedData)
    {
        if (typedData.ValueKind != JsonValueKind.Object) throw new FormatException("typed data must be an object {types, primaryType, domain, message}");
        var types = ReadTypes(typedData);
        if (!typedData.TryGetProperty("primaryType", out var primaryElement) || primaryElement.ValueKind != JsonValueKind.String)
            throw new FormatException("typed data: \"primaryType\" is required");
        var primaryType = primaryElement.GetString()!;
        if (!types.ContainsKey(primaryType)) throw new FormatException($"typed data: primaryType {primaryType} is not in \"types\"");
        if (!typedData.TryGetProperty("domain", out var domain) || domain.ValueKind != JsonValueKind.Object)
            throw new FormatException("typed data: \"domain\" is required");
        if (!types.ContainsKey(DomainType))
            types[DomainType] = s_domainFields.Where(f => domain.TryGetProperty(f.Name, out _)).ToList();

        var buffer = new byte[66];
        buffer[0] = 0x19;
        buffer[1] = 0x01;
        HashStruct(types, DomainType, domain, "domain").CopyTo(buffer.AsSpan(2));
        if (primaryType == DomainType) return Keccak256.Compute(buffer.AsSpan(0, 34));
        if (!typedData.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
            throw new FormatException("typed data: \"message\" is required");
        HashStruct(types, primaryType, message, "message").CopyTo(buffer.AsSpan(34));
        return Keccak256.Compute(buffer);
    }

    /// <summary>EIP-712 <c>encodeType</c>: the type followed by its referenced struct types in alphabetical order.</summary>
    public static string EncodeType(IReadOnlyDictionary<string, List<(string Name, string Type)>> types, string primaryType)
    {
        ArgumentNullException.ThrowIfNull(types);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        CollectDependencies(types, primaryType, found);
        found.Remove(primaryType);
        var sb = new StringBuilder();
        foreach (var name in new[] { primaryType }.Concat(found))
        {
            sb.Append(name).Append('(');
            sb.AppendJoin(',', types[name].Select(f => f.Type + " " + f.Name));
            sb.Append(')');
        }
        return sb.ToString();
    }

    private static Dictionary<string, List<(string Name, string Type)>> ReadTypes(JsonElement typedData)
    {
        if (!typedData.TryGetProperty("types", out var typesElement) || typesElement.ValueKind != JsonValueKind.Object)
            throw new FormatException("typed data: \"types\" is required");
        var types = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        foreach (var type in typesElement.EnumerateObject())
        {
            if (type.Value.ValueKind != JsonValueKind.Array) throw new FormatException($"typed data: types.{type.Name} must be an array of {{name, type}}");
            var fields = new List<(string, string)>();
            foreach (var field in type.Value.EnumerateArray())
            {
                if (field.ValueKind != JsonValueKind.Object
                    || !field.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String
                    || !field.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String)
                    throw new FormatException($"typed data: each field of types.{type.Name} needs a string name and type");
                fields.Add((n.GetString()!, t.GetString()!));
            }
            types[type.Name] = fields;
        }
        return types;
    }

    private static void CollectDependencies(IReadOnlyDictionary<string, List<(string Name, string Type)>> types, string type, SortedSet<string> found)
    {
        var baseType = BaseType(type);
        if (!types.TryGetValue(baseType, out var fields) || !found.Add(baseType)) return;
        foreach (var field in fields) CollectDependencies(types, field.Type, found);
    }

    private static string BaseType(string type)
    {
        var bracket = type.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0 ? type : type[..bracket];
    }

    private static byte[] HashStruct(Dictionary<string, List<(string Name, string Type)>> types, string type, JsonElement data, string path)
    {
        if (data.ValueKind != JsonValueKind.Object) throw new FormatException($"typed data: {path} must be an object of type {type}");
        var fields = types[type];
        var encoded = new byte[32 * (fields.Count + 1)];
        Keccak256.Compute(Encoding.UTF8.GetBytes(EncodeType(types, type))).CopyTo(encoded);
        for (var i = 0; i < fields.Count; i++)
        {
            var (name, fieldType) = fields[i];
            if (!data.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                // A missing struct is encoded as zero words, as MetaMask's v4 does; a missing atom is an error.
                if (types.ContainsKey(BaseType(fieldType))) continue;
                throw new FormatException($"typed data: {path}.{name} ({fieldType}) is missing");
            }
            EncodeValue(types, fieldType, value, $"{path}.{name}").CopyTo(encoded.AsSpan(32 * (i + 1)));
        }
        return Keccak256.Compute(encoded).ToArray();
    }

    private static byte[] EncodeValue(Dictionary<string, List<(string Name, string Type)>> types, string type, JsonElement value, string path)
    {
        if (type.EndsWith(']'))
        {
            var itemType = type[..type.LastIndexOf('[')];
            if (value.ValueKind != JsonValueKind.Array) throw new FormatException($"typed data: {path} must be an array ({type})");
            var items = new List<byte>();
            var index = 0;
            foreach (var item in value.EnumerateArray()) items.AddRange(EncodeValue(types, itemType, item, $"{path}[{index++}]"));
            return Keccak256.Compute(items.ToArray()).ToArray();
        }
        if (types.ContainsKey(type)) return HashStruct(types, type, value, path);
        var word = new byte[32];
        switch (type)
        {
            case "string":
                if (value.ValueKind != JsonValueKind.String) throw new FormatException($"typed data: {path} must be a string");
                return Keccak256.Compute(Encoding.UTF8.GetBytes(value.GetString()!)).ToArray();
            case "bytes":
                return Keccak256.Compute(ReadBytes(value, path)).ToArray();
            case "bool":
                word[31] = value.ValueKind switch
                {
                    JsonValueKind.True => 1,
                    JsonValueKind.False => 0,
                    JsonValueKind.String when value.GetString() is "true" => 1,
                    JsonValueKind.String when value.GetString() is "false" => 0,
                    _ => throw new FormatException($"typed data: {path} must be a boolean"),
                };
                return word;
            case "address":
                if (value.ValueKind != JsonValueKind.String || !Address.TryParse(value.GetString(), out var address))
                    throw new FormatException($"typed data: {path} must be a 20-byte hex address");
                address.CopyTo(word.AsSpan(12));
                return word;
        }
        if (type.StartsWith("bytes", StringComparison.Ordinal) && int.TryParse(type.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= 32)
        {
            var bytes = ReadBytes(value, path);
            if (bytes.Length > size) throw new FormatException($"typed data: {path} has {bytes.Length} bytes, more than {type} holds");
            bytes.CopyTo(word, 0);
            return word;
        }
        var signed = type.StartsWith("int", StringComparison.Ordinal);
        if ((signed || type.StartsWith("uint", StringComparison.Ordinal))
            && int.TryParse(type.AsSpan(signed ? 3 : 4), NumberStyles.None, CultureInfo.InvariantCulture, out var bits) && bits is >= 8 and <= 256 && bits % 8 == 0)
        {
            var number = ReadInteger(value, path);
            var min = signed ? -(BigInteger.One << (bits - 1)) : BigInteger.Zero;
            var max = signed ? (BigInteger.One << (bits - 1)) - 1 : (BigInteger.One << bits) - 1;
            if (number < min || number > max) throw new FormatException($"typed data: {path} = {number} is out of range for {type}");
            if (number.Sign < 0) number += BigInteger.One << 256;
            var raw = number.ToByteArray(isUnsigned: true, isBigEndian: true);
            raw.CopyTo(word, 32 - raw.Length);
            return word;
        }
        throw new FormatException($"typed data: {path} has unknown type {type}");
    }

    private static byte[] ReadBytes(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.String || !value.GetString()!.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            || !Hex.TryDecode(value.GetString(), out var bytes))
            throw new FormatException($"typed data: {path} must be 0x-prefixed hex bytes");
        return bytes;
    }

    private static BigInteger ReadInteger(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (BigInteger.TryParse(value.GetRawText(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return n;
            throw new FormatException($"typed data: {path} must be an integer");
        }
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!.Trim();
            var negative = text.StartsWith('-');
            var digits = negative ? text[1..] : text;
            BigInteger result;
            if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                if (digits.Length == 2 || !BigInteger.TryParse("0" + digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out result))
                    throw new FormatException($"typed data: {path} must be an integer");
            }
            else if (digits.Length == 0 || !BigInteger.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out result))
            {
                throw new FormatException($"typed data: {path} must be an integer");
            }
            return negative ? -result : result;
        }
        throw new FormatException($"typed data: {path} must be an integer (number or string)");
    }
}
