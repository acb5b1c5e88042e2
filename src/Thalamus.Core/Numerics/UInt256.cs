using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Thalamus.Core;

/// <summary>
/// A 256-bit unsigned integer with EVM semantics: arithmetic wraps modulo 2^256, division and
/// modulo by zero give zero, and the signed operations read the value as two's complement.
/// </summary>
/// <remarks>
/// Four 64-bit limbs, <see cref="U0"/> least significant. The static operations take their
/// operands by <c>in</c> and return through <c>out</c> so the EVM can run them on stack slots
/// without copying; <c>result</c> may alias an operand.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public readonly partial struct UInt256 : IEquatable<UInt256>, IComparable<UInt256>
{
    public readonly ulong U0, U1, U2, U3;

    public static readonly UInt256 Zero = default;
    public static readonly UInt256 One = new(1);
    public static readonly UInt256 MaxValue = new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    public UInt256(ulong u0, ulong u1 = 0, ulong u2 = 0, ulong u3 = 0)
    {
        U0 = u0;
        U1 = u1;
        U2 = u2;
        U3 = u3;
    }

    public bool IsZero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (U0 | U1 | U2 | U3) == 0;
    }

    /// <summary>True when the value fits in a <see cref="ulong"/>.</summary>
    public bool IsUInt64
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (U1 | U2 | U3) == 0;
    }

    /// <summary>True when bit 255 is set, i.e. the value is negative as two's complement.</summary>
    public bool IsNegative
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (long)U3 < 0;
    }

    /// <summary>Number of significant bits (0 for zero, 256 when bit 255 is set).</summary>
    public int BitLength =>
        U3 != 0 ? 256 - BitOperations.LeadingZeroCount(U3)
        : U2 != 0 ? 192 - BitOperations.LeadingZeroCount(U2)
        : U1 != 0 ? 128 - BitOperations.LeadingZeroCount(U1)
        : 64 - BitOperations.LeadingZeroCount(U0);

    /// <summary>Number of bytes of the minimal big-endian encoding (0 for zero).</summary>
    public int ByteLength => (BitLength + 7) >> 3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Equals(UInt256 other) =>
        ((U0 ^ other.U0) | (U1 ^ other.U1) | (U2 ^ other.U2) | (U3 ^ other.U3)) == 0;

    public override bool Equals(object? obj) => obj is UInt256 other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(U0, U1, U2, U3);

    public int CompareTo(UInt256 other) => Compare(in this, in other);

    /// <summary>Unsigned three-way comparison: -1, 0 or 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Compare(in UInt256 a, in UInt256 b)
    {
        if (a.U3 != b.U3) return a.U3 < b.U3 ? -1 : 1;
        if (a.U2 != b.U2) return a.U2 < b.U2 ? -1 : 1;
        if (a.U1 != b.U1) return a.U1 < b.U1 ? -1 : 1;
        if (a.U0 != b.U0) return a.U0 < b.U0 ? -1 : 1;
        return 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool LessThan(in UInt256 a, in UInt256 b)
    {
        if (a.U3 != b.U3) return a.U3 < b.U3;
        if (a.U2 != b.U2) return a.U2 < b.U2;
        if (a.U1 != b.U1) return a.U1 < b.U1;
        return a.U0 < b.U0;
    }

    /// <summary>Signed (two's complement) a &lt; b, as the EVM's SLT.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SignedLessThan(in UInt256 a, in UInt256 b)
    {
        // Same sign: two's complement order equals unsigned order. Different signs: the negative one is smaller.
        if ((a.U3 ^ b.U3) >> 63 != 0) return a.IsNegative;
        return LessThan(in a, in b);
    }

    /// <summary>Signed (two's complement) a &gt; b, as the EVM's SGT.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SignedGreaterThan(in UInt256 a, in UInt256 b) => SignedLessThan(in b, in a);

    public static bool operator ==(in UInt256 a, in UInt256 b) => a.Equals(b);
    public static bool operator !=(in UInt256 a, in UInt256 b) => !a.Equals(b);
    public static bool operator <(in UInt256 a, in UInt256 b) => LessThan(in a, in b);
    public static bool operator >(in UInt256 a, in UInt256 b) => LessThan(in b, in a);
    public static bool operator <=(in UInt256 a, in UInt256 b) => !LessThan(in b, in a);
    public static bool operator >=(in UInt256 a, in UInt256 b) => !LessThan(in a, in b);
}
