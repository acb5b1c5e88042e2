using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Thalamus.Crypto;

// The AVX2 path, the classic row-wise layout: rows a = v0..v3, b = v4..v7, c = v8..v11 and
// d = v12..v15 each in one Vector256, so one vector G runs the four column (or diagonal) steps.
// One round is a dependency chain of 24 one-cycle operations; everything else (message loads,
// the lane permutations) is arranged to stay off that chain.
public static partial class Blake2F
{
    private static void CompressAvx2(uint rounds, Span<ulong> state, ReadOnlySpan<ulong> message, ulong t0, ulong t1, bool finalBlock)
    {
        ref ulong h = ref MemoryMarshal.GetReference(state);
        Vector256<ulong> a = Vector256.LoadUnsafe(ref h);
        Vector256<ulong> b = Vector256.LoadUnsafe(ref h, 4);
        Vector256<ulong> c = Vector256.Create(Iv0, Iv1, Iv2, Iv3);
        Vector256<ulong> d = Vector256.Create(Iv4 ^ t0, Iv5 ^ t1, finalBlock ? ~Iv6 : Iv6, Iv7);

        ref ulong m = ref MemoryMarshal.GetReference(message);
        ref byte schedule = ref MemoryMarshal.GetReference(Schedule);
        ref byte s = ref schedule;
        int row = 0;
        for (uint round = rounds; round != 0; round--)
        {
            G(ref a, ref b, ref c, ref d, Words(ref m, ref s, 0), Words(ref m, ref s, 4));

            // Diagonalize by moving a, c and d so lane k holds (v[k-1], v[4+k], v[8+k+1], v[12+k+2]):
            // b, which the next step needs first and which was computed last, stays where it is,
            // and the three permutes overlap the tail of the step above.
            a = Avx2.Permute4x64(a, 0b10_01_00_11);
            c = Avx2.Permute4x64(c, 0b00_11_10_01);
            d = Avx2.Permute4x64(d, 0b01_00_11_10);
            G(ref a, ref b, ref c, ref d, Words(ref m, ref s, 8), Words(ref m, ref s, 12));
            a = Avx2.Permute4x64(a, 0b00_11_10_01);
            c = Avx2.Permute4x64(c, 0b10_01_00_11);
            d = Avx2.Permute4x64(d, 0b01_00_11_10);

            if (++row == SchedulePeriod)
            {
                row = 0;
                s = ref schedule;
            }
            else
            {
                s = ref Unsafe.Add(ref s, 16);
            }
        }

        Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref h) ^ a ^ c, ref h);
        Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref h, 4) ^ b ^ d, ref h, 4);
    }

    /// <summary>The four message words at schedule positions k..k+3 of the current round.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Words(ref ulong message, ref byte scheduleRow, int k) => Vector256.Create(
        Word(ref message, ref scheduleRow, k), Word(ref message, ref scheduleRow, k + 1),
        Word(ref message, ref scheduleRow, k + 2), Word(ref message, ref scheduleRow, k + 3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref Vector256<ulong> a, ref Vector256<ulong> b, ref Vector256<ulong> c, ref Vector256<ulong> d, Vector256<ulong> x, Vector256<ulong> y)
    {
        a = Avx2.Add(Avx2.Add(a, x), b);
        d = RotateRight32(Avx2.Xor(d, a));
        c = Avx2.Add(c, d);
        b = RotateRight24(Avx2.Xor(b, c));
        a = Avx2.Add(Avx2.Add(a, y), b);
        d = RotateRight16(Avx2.Xor(d, a));
        c = Avx2.Add(c, d);
        b = RotateRight63(Avx2.Xor(b, c));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> RotateRight32(Vector256<ulong> x) =>
        Avx2.Shuffle(x.AsUInt32(), 0b10_11_00_01).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> RotateRight24(Vector256<ulong> x) => Avx512F.VL.IsSupported
        ? Avx512F.VL.RotateRight(x, 24)
        : Avx2.Shuffle(x.AsByte(), Vector256.Create((byte)3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10, 3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10)).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> RotateRight16(Vector256<ulong> x) => Avx512F.VL.IsSupported
        ? Avx512F.VL.RotateRight(x, 16)
        : Avx2.Shuffle(x.AsByte(), Vector256.Create((byte)2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9, 2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9)).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> RotateRight63(Vector256<ulong> x) => Avx512F.VL.IsSupported
        ? Avx512F.VL.RotateLeft(x, 1)
        : Avx2.Or(Avx2.Add(x, x), Avx2.ShiftRightLogical(x, 63));
}
