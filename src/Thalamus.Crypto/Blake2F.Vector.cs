using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Thalamus.Crypto;

// The AVX2 path, the classic row-wise layout: rows a = v0..v3, b = v4..v7, c = v8..v11 and
// d = v12..v15 each in one Vector256, so one vector G runs the four column (or diagonal) steps.
// A round is then one long dependency chain (a -> d -> c -> b -> a ... eight links per step), so
// the code is arranged around latency: message vectors are precomputed and loaded, the lane
// rotations of the diagonalization run beside the chain, and with AVX-512VL each xor-and-rotate
// link costs two one-cycle operations (12 cycles per step, 24 per round at best).
public static partial class Blake2F
{
    [SkipLocalsInit]
    private static void CompressAvx2(uint rounds, Span<ulong> state, ReadOnlySpan<ulong> message, ulong t0, ulong t1, bool finalBlock)
    {
        ref ulong h = ref MemoryMarshal.GetReference(state);
        Vector256<ulong> a = Vector256.LoadUnsafe(ref h);
        Vector256<ulong> b = Vector256.LoadUnsafe(ref h, 4);
        Vector256<ulong> c = Vector256.Create(Iv0, Iv1, Iv2, Iv3);
        Vector256<ulong> d = Vector256.Create(Iv4 ^ t0, Iv5 ^ t1, finalBlock ? ~Iv6 : Iv6, Iv7);

        // The message vectors of the ten distinct rounds, gathered once so the loop only loads them.
        Span<Vector256<ulong>> words = stackalloc Vector256<ulong>[4 * SchedulePeriod];
        ref ulong m = ref MemoryMarshal.GetReference(message);
        ref byte schedule = ref MemoryMarshal.GetReference(Schedule);
        int distinctRounds = (int)Math.Min(rounds, SchedulePeriod);
        if (Avx512F.IsSupported)
        {
            // Eight words per VPERMT2Q, the indices zero-extended straight from the schedule bytes.
            Vector512<ulong> low = Vector512.LoadUnsafe(ref m), high = Vector512.LoadUnsafe(ref m, 8);
            ref ulong destination = ref Unsafe.As<Vector256<ulong>, ulong>(ref MemoryMarshal.GetReference(words));
            for (int i = 0; i < 2 * distinctRounds; i++)
            {
                var indices = Avx512F.ConvertToVector512UInt64(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref schedule, 8 * i))).AsByte());
                Avx512F.PermuteVar8x64x2(low, indices, high).StoreUnsafe(ref destination, (nuint)(8 * i));
            }
        }
        else
        {
            for (int i = 0; i < 4 * distinctRounds; i++)
                words[i] = Words(ref m, ref schedule, 4 * i);
        }

        ref Vector256<ulong> first = ref MemoryMarshal.GetReference(words);
        ref Vector256<ulong> w = ref first;
        int row = 0;
        for (uint round = rounds; round != 0; round--)
        {
            G(ref a, ref b, ref c, ref d, w, Unsafe.Add(ref w, 1));

            // Diagonalize by moving a, c and d so lane k holds (v[k-1], v[4+k], v[8+k+1], v[12+k+2]):
            // b, which the next step needs first and which was computed last, stays where it is,
            // and the three lane rotations overlap the tail of the step above.
            a = RotateLanes(a, 3);
            c = RotateLanes(c, 1);
            d = RotateLanes(d, 2);
            G(ref a, ref b, ref c, ref d, Unsafe.Add(ref w, 2), Unsafe.Add(ref w, 3));
            a = RotateLanes(a, 1);
            c = RotateLanes(c, 3);
            d = RotateLanes(d, 2);

            if (++row == SchedulePeriod)
            {
                row = 0;
                w = ref first;
            }
            else
            {
                w = ref Unsafe.Add(ref w, 4);
            }
        }

        Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref h) ^ a ^ c, ref h);
        Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref h, 4) ^ b ^ d, ref h, 4);
    }

    /// <summary>The four message words at schedule positions k..k+3 (<see cref="Validate"/> checked the 16 words; schedule entries are below 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Words(ref ulong message, ref byte schedule, int k) => Vector256.Create(
        Word(ref message, ref schedule, k), Word(ref message, ref schedule, k + 1),
        Word(ref message, ref schedule, k + 2), Word(ref message, ref schedule, k + 3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Word(ref ulong message, ref byte schedule, int k) =>
        Unsafe.Add(ref message, (nint)Unsafe.Add(ref schedule, k));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref Vector256<ulong> a, ref Vector256<ulong> b, ref Vector256<ulong> c, ref Vector256<ulong> d, Vector256<ulong> x, Vector256<ulong> y)
    {
        if (Avx512F.VL.IsSupported)
        {
            // VPRORQ and PSHUFB take two cycles (Zen 4), so each "p = (p ^ q) >>> r" with r != 32 is
            // rewritten as (p >>> r) ^ (q >> r) ^ (q << 64 - r): p is ready early, and the late
            // operand q goes through one shift and one three-way XOR (VPTERNLOGQ). That makes a
            // step 12 cycles instead of 15 (measured: 7.4 against 8.1 ns per round).
            a = Avx2.Add(Avx2.Add(a, x), b);
            d = Avx2.Shuffle(Avx2.Xor(d, a).AsUInt32(), 0b10_11_00_01).AsUInt64();
            c = Avx2.Add(c, d);
            b = Xor3(Avx512F.VL.RotateRight(b, 24), Avx2.ShiftRightLogical(c, 24), Avx2.ShiftLeftLogical(c, 40));
            a = Avx2.Add(Avx2.Add(a, y), b);
            d = Xor3(Avx512F.VL.RotateRight(d, 16), Avx2.ShiftRightLogical(a, 16), Avx2.ShiftLeftLogical(a, 48));
            c = Avx2.Add(c, d);
            b = Xor3(Avx512F.VL.RotateLeft(b, 1), Avx2.ShiftLeftLogical(c, 1), Avx2.ShiftRightLogical(c, 63));
        }
        else
        {
            a = Avx2.Add(Avx2.Add(a, x), b);
            d = Avx2.Shuffle(Avx2.Xor(d, a).AsUInt32(), 0b10_11_00_01).AsUInt64();
            c = Avx2.Add(c, d);
            b = Avx2.Shuffle(Avx2.Xor(b, c).AsByte(), RotateRight24Bytes).AsUInt64();
            a = Avx2.Add(Avx2.Add(a, y), b);
            d = Avx2.Shuffle(Avx2.Xor(d, a).AsByte(), RotateRight16Bytes).AsUInt64();
            c = Avx2.Add(c, d);
            b = Avx2.Xor(b, c);
            b = Avx2.Or(Avx2.Add(b, b), Avx2.ShiftRightLogical(b, 63));
        }
    }

    /// <summary>Lane k of the result is lane (k + n) mod 4 of <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> RotateLanes(Vector256<ulong> x, [ConstantExpected(Min = 1, Max = 3)] byte n)
    {
        // VALIGNQ takes 3 cycles on Zen 4 against VPERMQ's 4.
        if (Avx512F.VL.IsSupported)
            return Avx512F.VL.AlignRight64(x, x, n);
        return n switch
        {
            1 => Avx2.Permute4x64(x, 0b00_11_10_01),
            2 => Avx2.Permute4x64(x, 0b01_00_11_10),
            _ => Avx2.Permute4x64(x, 0b10_01_00_11),
        };
    }

    /// <summary>p ^ q ^ r in one instruction (truth table 0x96).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Xor3(Vector256<ulong> p, Vector256<ulong> q, Vector256<ulong> r) =>
        Avx512F.VL.TernaryLogic(p, q, r, 0x96);

    // PSHUFB masks rotating each 64-bit lane right by 24 and 16 bits.
    private static Vector256<byte> RotateRight24Bytes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create((byte)3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10, 3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10);
    }

    private static Vector256<byte> RotateRight16Bytes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create((byte)2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9, 2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9);
    }
}
