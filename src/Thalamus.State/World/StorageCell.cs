using Thalamus.Core;

namespace Thalamus.State;

/// <summary>An (address, slot) pair: the key of warm-slot, transient-storage and original-value sets.</summary>
internal readonly struct StorageCell(Address address, UInt256 key) : IEquatable<StorageCell>
{
    public readonly Address Address = address;
    public readonly UInt256 Key = key;

    public bool Equals(StorageCell other) => Key.Equals(other.Key) && Address.Equals(other.Address);
    public override bool Equals(object? obj) => obj is StorageCell other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Address.GetHashCode(), Key.GetHashCode());
}
