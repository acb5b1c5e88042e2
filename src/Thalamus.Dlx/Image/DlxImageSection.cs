namespace Thalamus.Dlx;

/// <summary>A run of bytes loaded at <see cref="Address"/>.</summary>
public sealed record DlxImageSection(DlxSectionKind Kind, uint Address, byte[] Data)
{
    public uint End => Address + (uint)Data.Length;

    public bool Equals(DlxImageSection? other) =>
        other is not null && Kind == other.Kind && Address == other.Address && Data.AsSpan().SequenceEqual(other.Data);

    public override int GetHashCode() => HashCode.Combine(Kind, Address, Data.Length);
}
