using System.Buffers.Binary;

namespace Thalamus.Multicast;

/// <summary>The header's type byte.</summary>
public enum MulticastMessageType : byte
{
    Reserved = 0x00,
    Syn = 0x01,
    Ack = 0x02,
    Plain = 0x03,
    Call = 0x04,
}

/// <summary>The header's 16 flag bits; the bits not named here are reserved and refused.</summary>
[Flags]
public enum MulticastFlags : ushort
{
    None = 0,
    /// <summary>Subscribers are asked to acknowledge (an ACK message through <c>Multicaster.ack</c>).</summary>
    AckRequested = 0x0001,
}

/// <summary>
/// The 4-byte header every multicast message starts with: version (8 bits), type (8 bits), flags
/// (16 bits, big-endian), then the payload. The same codec as <c>contracts/src/multicast/MulticastHeader.sol</c>,
/// with the same error texts; both are checked against <c>tests/vectors/multicast-header.json</c>.
/// </summary>
public readonly record struct MulticastHeader(byte Version, MulticastMessageType Type, MulticastFlags Flags)
{
    public const byte CurrentVersion = 1;
    public const int Size = 4;
    public const MulticastFlags KnownFlags = MulticastFlags.AckRequested;

    /// <summary>Reads and validates the header of <paramref name="message"/>; on failure <paramref name="error"/> says why (as the contracts revert).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> message, out MulticastHeader header, out string? error)
    {
        header = default;
        if (message.Length < Size)
        {
            error = "Multicast: message shorter than its 4-byte header";
            return false;
        }
        var version = message[0];
        var type = message[1];
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        error = version != CurrentVersion ? $"Multicast: unknown header version {version}"
            : type == 0 ? "Multicast: header type 0 is reserved"
            : type > (byte)MulticastMessageType.Call ? $"Multicast: unknown header type {type}"
            : (flags & ~(ushort)KnownFlags) != 0 ? $"Multicast: unknown header flags 0x{flags:x4}"
            : null;
        if (error is not null) return false;
        header = new MulticastHeader(version, (MulticastMessageType)type, (MulticastFlags)flags);
        return true;
    }

    /// <summary>The header of <paramref name="message"/>; a malformed one throws <see cref="FormatException"/> with the reason.</summary>
    public static MulticastHeader Decode(ReadOnlySpan<byte> message) =>
        TryDecode(message, out var header, out var error) ? header : throw new FormatException(error);

    public void WriteTo(Span<byte> destination)
    {
        destination[0] = Version;
        destination[1] = (byte)Type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Flags);
    }

    /// <summary>A message: this header, then <paramref name="payload"/>.</summary>
    public byte[] Message(ReadOnlySpan<byte> payload)
    {
        var message = new byte[Size + payload.Length];
        WriteTo(message);
        payload.CopyTo(message.AsSpan(Size));
        return message;
    }

    public static MulticastHeader Of(MulticastMessageType type, MulticastFlags flags = MulticastFlags.None) => new(CurrentVersion, type, flags);
}
