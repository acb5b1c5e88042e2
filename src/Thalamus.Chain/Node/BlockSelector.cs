using System.Globalization;
using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>Which block a query is about: a tag (latest, earliest, pending, safe, finalized), a number or a hash.</summary>
public readonly struct BlockSelector : IEquatable<BlockSelector>
{
    private BlockSelector(BlockSelectorKind kind, ulong number, Hash256 hash, bool requireCanonical)
    {
        Kind = kind;
        Number = number;
        Hash = hash;
        RequireCanonical = requireCanonical;
    }

    public BlockSelectorKind Kind { get; }

    /// <summary>For <see cref="BlockSelectorKind.Number"/>.</summary>
    public ulong Number { get; }

    /// <summary>For <see cref="BlockSelectorKind.Hash"/>.</summary>
    public Hash256 Hash { get; }

    /// <summary>EIP-1898 <c>requireCanonical</c> (every stored block is canonical here).</summary>
    public bool RequireCanonical { get; }

    public static BlockSelector Latest => new(BlockSelectorKind.Latest, 0, default, false);
    public static BlockSelector Earliest => new(BlockSelectorKind.Earliest, 0, default, false);
    public static BlockSelector Pending => new(BlockSelectorKind.Pending, 0, default, false);
    public static BlockSelector Safe => new(BlockSelectorKind.Safe, 0, default, false);
    public static BlockSelector Finalized => new(BlockSelectorKind.Finalized, 0, default, false);

    public static BlockSelector FromNumber(ulong number) => new(BlockSelectorKind.Number, number, default, false);

    public static BlockSelector FromHash(Hash256 hash, bool requireCanonical = false) => new(BlockSelectorKind.Hash, 0, hash, requireCanonical);

    /// <summary>Parses a JSON-RPC block tag or 0x-hex number ("latest", "0x1b4", ...); a 32-byte hex string is a hash.</summary>
    public static bool TryParse(string? text, out BlockSelector selector)
    {
        selector = Latest;
        if (text is null) return false;
        switch (text)
        {
            case "latest": selector = Latest; return true;
            case "earliest": selector = Earliest; return true;
            case "pending": selector = Pending; return true;
            case "safe": selector = Safe; return true;
            case "finalized": selector = Finalized; return true;
        }
        if (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || text.Length < 3) return false;
        if (text.Length == 66)
        {
            if (!Hash256.TryParse(text, out var hash)) return false;
            selector = FromHash(hash);
            return true;
        }
        if (text.Length > 18) return false;
        if (!ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number)) return false;
        selector = FromNumber(number);
        return true;
    }

    public bool Equals(BlockSelector other) =>
        Kind == other.Kind && Number == other.Number && Hash.Equals(other.Hash) && RequireCanonical == other.RequireCanonical;

    public override bool Equals(object? obj) => obj is BlockSelector other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Kind, Number, Hash, RequireCanonical);
    public static bool operator ==(BlockSelector left, BlockSelector right) => left.Equals(right);
    public static bool operator !=(BlockSelector left, BlockSelector right) => !left.Equals(right);

    public override string ToString() => Kind switch
    {
        BlockSelectorKind.Number => "0x" + Number.ToString("x", CultureInfo.InvariantCulture),
        BlockSelectorKind.Hash => Hash.ToString(),
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
