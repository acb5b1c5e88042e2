using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Thalamus.Core;

namespace Thalamus.Evm;

/// <summary>
/// Whole-word moves for the interpreter's stack slots: every write of a slot is one 32-byte store.
/// </summary>
/// <remarks>
/// DUP, SWAP, AND/OR/XOR/NOT and the stack-to-memory moves read a slot as one 32-byte vector. A
/// slot written as four 8-byte stores and read that way soon after cannot be forwarded from the
/// store buffer (the load spans several stores) and stalls for a dozen cycles or more; a 32-byte
/// store forwards to any load inside it. So results are composed in a vector register and stored
/// once, and memory words and PUSH data are byte-reversed as vectors (AVX2), not as four scalars.
/// </remarks>
internal static class EvmWord
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref Vector256<ulong> AsVector(ref UInt256 word) => ref Unsafe.As<UInt256, Vector256<ulong>>(ref word);

    /// <summary>slot = (u0, u1, u2, u3), least significant limb first, as one store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Set(ref UInt256 slot, ulong u0, ulong u1, ulong u2, ulong u3) =>
        AsVector(ref slot) = Vector256.Create(u0, u1, u2, u3);

    /// <summary>slot = value (below 2^64), as one store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetSmall(ref UInt256 slot, ulong value) => AsVector(ref slot) = Vector256.CreateScalar(value);

    /// <summary>The 32 big-endian bytes at <paramref name="p"/> as a word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> LoadBigEndian(ref byte p)
    {
        if (Avx2.IsSupported) return Reverse(Vector256.LoadUnsafe(ref p));
        return Vector256.Create(
            BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, 24))),
            BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, 16))),
            BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, 8))),
            BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref p)));
    }

    /// <summary>Stores the word as 32 big-endian bytes at <paramref name="p"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreBigEndian(ref byte p, Vector256<ulong> word)
    {
        if (Avx2.IsSupported)
        {
            Reverse(word.AsByte()).AsByte().StoreUnsafe(ref p);
            return;
        }
        Unsafe.WriteUnaligned(ref p, BinaryPrimitives.ReverseEndianness(word.GetElement(3)));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 8), BinaryPrimitives.ReverseEndianness(word.GetElement(2)));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 16), BinaryPrimitives.ReverseEndianness(word.GetElement(1)));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 24), BinaryPrimitives.ReverseEndianness(word.GetElement(0)));
    }

    /// <summary>
    /// PUSHn data (n in 1..32, the bytes at pc+1..pc+n) as a word: the 32 bytes ending at pc+n,
    /// reversed, with all but the low n bytes masked off. The code needs 31 bytes of front padding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> LoadPushData(ref byte code, nint pc, int n)
    {
        var word = Reverse(Vector256.LoadUnsafe(ref Unsafe.Add(ref code, pc + n - 31)));
        var mask = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(PushMasks), (nuint)(32 - n));
        return word & mask.AsUInt64();
    }

    // 32 ones then 32 zeros: the 32 bytes from 32-n have their low n bytes set.
    private static ReadOnlySpan<byte> PushMasks =>
    [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    /// <summary>The 32 bytes in reverse order (AVX2 only): reversed within each 16-byte lane, then the lanes swapped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Reverse(Vector256<byte> bytes)
    {
        var inLanes = Avx2.Shuffle(bytes, Vector256.Create(
            (byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
            15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
        return Avx2.Permute4x64(inLanes.AsUInt64(), 0b01_00_11_10);
    }

    /// <summary>b = a + b mod 2^256, stored as one word.</summary>
    /// <remarks>
    /// With AVX2 the four limbs add at once; a limb carries out when its sum wrapped (sum &lt; a) and
    /// passes a carry on when its sum is all ones. With those as 4-bit masks g and p, the limbs that
    /// receive a carry are ((g &lt;&lt; 1) + p) ^ p: the integer add ripples the carries through runs of p.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddInto(in UInt256 a, ref UInt256 b)
    {
        if (Avx2.IsSupported)
        {
            AsVector(ref b) = Add(Unsafe.As<UInt256, Vector256<ulong>>(ref Unsafe.AsRef(in a)), AsVector(ref b));
            return;
        }
        ulong a0 = a.U0, a1 = a.U1, a2 = a.U2, a3 = a.U3;
        ulong b0 = b.U0, b1 = b.U1, b2 = b.U2, b3 = b.U3;
        ulong r0 = a0 + b0;
        ulong c = ((a0 & b0) | ((a0 | b0) & ~r0)) >> 63;
        ulong r1 = a1 + b1 + c;
        c = ((a1 & b1) | ((a1 | b1) & ~r1)) >> 63;
        ulong r2 = a2 + b2 + c;
        c = ((a2 & b2) | ((a2 | b2) & ~r2)) >> 63;
        ulong r3 = a3 + b3 + c;
        Set(ref b, r0, r1, r2, r3);
    }

    /// <summary>x + y mod 2^256 as vectors (AVX2 only; see <see cref="AddInto"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Add(Vector256<ulong> x, Vector256<ulong> y)
    {
        var sum = x + y;
        var bias = Vector256.Create(0x8000_0000_0000_0000UL);
        var generate = Avx2.CompareGreaterThan((x ^ bias).AsInt64(), (sum ^ bias).AsInt64()).ExtractMostSignificantBits();
        var propagate = Vector256.Equals(sum, Vector256<ulong>.AllBitsSet).ExtractMostSignificantBits();
        var carries = ((generate << 1) + propagate) ^ propagate;
        var lanes = Vector256.Create(1UL, 2UL, 4UL, 8UL);
        // Subtracting all ones adds the carry.
        return sum - Vector256.Equals(Vector256.Create((ulong)carries) & lanes, lanes);
    }

    /// <summary>
    /// b = a * b when a is m0 + m1 * 2^64 with m0 and m1 each 0 or 1 (x * (2^64+1) copies each limb
    /// into the next: blake2b_huff's rotations), as masks, a limb shift and one vector add. False
    /// (b untouched) for any other multiplier or without AVX2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryMultiplyByLimbCopies(in UInt256 a, ref UInt256 b)
    {
        if (!Avx2.IsSupported || ((a.U0 | a.U1) > 1) | ((a.U2 | a.U3) != 0)) return false;
        ref var vb = ref AsVector(ref b);
        var x = vb;
        var low = x & Vector256.Create(0UL - a.U0);
        // x * 2^64: the limbs one place up, the lowest zero.
        var up = Avx2.Permute4x64(x, 0b10_01_00_00) & Vector256.Create(0UL, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue) & Vector256.Create(0UL - a.U1);
        vb = Add(low, up);
        return true;
    }

    /// <summary>b = a - b mod 2^256 (a the top of the stack), stored as one word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SubtractInto(in UInt256 a, ref UInt256 b)
    {
        ulong a0 = a.U0, a1 = a.U1, a2 = a.U2, a3 = a.U3;
        ulong b0 = b.U0, b1 = b.U1, b2 = b.U2, b3 = b.U3;
        ulong r0 = a0 - b0;
        ulong c = ((~a0 & b0) | (~(a0 ^ b0) & r0)) >> 63;
        ulong r1 = a1 - b1 - c;
        c = ((~a1 & b1) | (~(a1 ^ b1) & r1)) >> 63;
        ulong r2 = a2 - b2 - c;
        c = ((~a2 & b2) | (~(a2 ^ b2) & r2)) >> 63;
        ulong r3 = a3 - b3 - c;
        Set(ref b, r0, r1, r2, r3);
    }

    /// <summary>b = a * b mod 2^256, out of line (the interpreter calls it with its registers saved in the frame).</summary>
    /// <remarks>
    /// When either factor is below 2^128 (a constant such as 2^64+1 that copies bits across limbs:
    /// blake2b_huff's rotations) the product is two rows of the schoolbook method, seven multiplies.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(in UInt256 a, ref UInt256 b)
    {
        if ((a.U2 | a.U3) == 0) MultiplySmall(b.U0, b.U1, b.U2, b.U3, a.U0, a.U1, ref b);
        else if ((b.U2 | b.U3) == 0) MultiplySmall(a.U0, a.U1, a.U2, a.U3, b.U0, b.U1, ref b);
        else
        {
            UInt256.Multiply(in a, in b, out var product);
            AsVector(ref b) = Unsafe.BitCast<UInt256, Vector256<ulong>>(product);
        }
    }

    /// <summary>result = x * (m1:m0) mod 2^256.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplySmall(ulong x0, ulong x1, ulong x2, ulong x3, ulong m0, ulong m1, ref UInt256 result)
    {
        // Row m0: x * m0.
        ulong h0 = Math.BigMul(x0, m0, out ulong r0);
        ulong h1 = Math.BigMul(x1, m0, out ulong l1);
        ulong h2 = Math.BigMul(x2, m0, out ulong l2);
        ulong r1 = l1 + h0;
        ulong c = r1 < l1 ? 1UL : 0UL;
        ulong t = l2 + h1;
        ulong r2 = t + c;
        c = (t < l2 ? 1UL : 0UL) + (r2 < t ? 1UL : 0UL);
        ulong r3 = x3 * m0 + h2 + c;
        // Row m1, one limb up: x * m1 * 2^64 (only its low three limbs stay below 2^256).
        ulong g0 = Math.BigMul(x0, m1, out ulong k0);
        ulong g1 = Math.BigMul(x1, m1, out ulong k1);
        ulong k2 = x2 * m1;
        ulong s1 = r1 + k0;
        c = s1 < k0 ? 1UL : 0UL;
        ulong u = k1 + g0;
        ulong cu = u < k1 ? 1UL : 0UL;
        ulong s2 = r2 + u;
        ulong c2 = s2 < u ? 1UL : 0UL;
        s2 += c;
        c2 += s2 < c ? 1UL : 0UL;
        ulong s3 = r3 + k2 + g1 + cu + c2;
        Set(ref result, r0, s1, s2, s3);
    }
}
