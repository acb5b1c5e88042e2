namespace Thalamus.Core.Tests.Rlp;

/// <summary>A test-side model of an RLP item: a byte string or a list of items.</summary>
internal sealed record RlpTree(byte[]? Bytes, RlpTree[]? Items)
{
    public static RlpTree String(byte[] bytes) => new(bytes, null);

    public static RlpTree List(params RlpTree[] items) => new(null, items);

    public byte[] Encode()
    {
        var writer = new RlpWriter(16);
        Write(writer);
        return writer.ToArray();
    }

    public void Write(RlpWriter writer)
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

    public static RlpTree Decode(byte[] encoded)
    {
        var reader = new RlpReader(encoded);
        var tree = Read(ref reader);
        reader.EnsureEnd();
        return tree;
    }

    private static RlpTree Read(ref RlpReader reader)
    {
        if (!reader.NextIsList) return String(reader.ReadBytes().ToArray());
        var list = reader.ReadList();
        var items = new List<RlpTree>();
        while (list.HasMore) items.Add(Read(ref list));
        return new RlpTree(null, items.ToArray());
    }

    public bool Equals(RlpTree? other) =>
        other is not null &&
        (Bytes is not null
            ? other.Bytes is not null && Bytes.AsSpan().SequenceEqual(other.Bytes)
            : other.Items is not null && Items!.Length == other.Items.Length && Items.Zip(other.Items).All(p => p.First.Equals(p.Second)));

    public override int GetHashCode() => Bytes?.Length ?? -Items!.Length;

    public override string ToString() =>
        Bytes is not null ? Hex.Encode(Bytes) : "[" + string.Join(", ", Items!.Select(i => i.ToString())) + "]";
}
