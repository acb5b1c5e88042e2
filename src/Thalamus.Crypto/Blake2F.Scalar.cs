using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Thalamus.Crypto;

// The portable path: the 16 working words live in locals (registers and a few stack slots) and
// each message word is read at an offset taken from the schedule, so the loop indexes no span.
public static partial class Blake2F
{
    private static void CompressPortable(uint rounds, Span<ulong> state, ReadOnlySpan<ulong> message, ulong t0, ulong t1, bool finalBlock)
    {
        ulong v0 = state[0], v1 = state[1], v2 = state[2], v3 = state[3];
        ulong v4 = state[4], v5 = state[5], v6 = state[6], v7 = state[7];
        ulong v8 = Iv0, v9 = Iv1, v10 = Iv2, v11 = Iv3;
        ulong v12 = Iv4 ^ t0, v13 = Iv5 ^ t1, v14 = finalBlock ? ~Iv6 : Iv6, v15 = Iv7;

        ref ulong m = ref MemoryMarshal.GetReference(message);
        ref byte schedule = ref MemoryMarshal.GetReference(Schedule);
        ref byte s = ref schedule;
        int row = 0;
        for (uint round = rounds; round != 0; round--)
        {
            G(ref v0, ref v4, ref v8, ref v12, Word(ref m, ref s, 0), Word(ref m, ref s, 4));
            G(ref v1, ref v5, ref v9, ref v13, Word(ref m, ref s, 1), Word(ref m, ref s, 5));
            G(ref v2, ref v6, ref v10, ref v14, Word(ref m, ref s, 2), Word(ref m, ref s, 6));
            G(ref v3, ref v7, ref v11, ref v15, Word(ref m, ref s, 3), Word(ref m, ref s, 7));
            // Diagonal j reads schedule lane (j + 1) mod 4 (see Schedule).
            G(ref v0, ref v5, ref v10, ref v15, Word(ref m, ref s, 9), Word(ref m, ref s, 13));
            G(ref v1, ref v6, ref v11, ref v12, Word(ref m, ref s, 10), Word(ref m, ref s, 14));
            G(ref v2, ref v7, ref v8, ref v13, Word(ref m, ref s, 11), Word(ref m, ref s, 15));
            G(ref v3, ref v4, ref v9, ref v14, Word(ref m, ref s, 8), Word(ref m, ref s, 12));

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

        state[0] ^= v0 ^ v8;
        state[1] ^= v1 ^ v9;
        state[2] ^= v2 ^ v10;
        state[3] ^= v3 ^ v11;
        state[4] ^= v4 ^ v12;
        state[5] ^= v5 ^ v13;
        state[6] ^= v6 ^ v14;
        state[7] ^= v7 ^ v15;
    }

    /// <summary>The message word at schedule position <paramref name="k"/> of the current round (the schedule holds indices below 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Word(ref ulong message, ref byte scheduleRow, int k) =>
        Unsafe.Add(ref message, (nint)Unsafe.Add(ref scheduleRow, k));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref ulong a, ref ulong b, ref ulong c, ref ulong d, ulong x, ulong y)
    {
        // (a + x) + b: b is the last word of the previous step to be ready, so it goes last.
        a = a + x + b;
        d = BitOperations.RotateRight(d ^ a, 32);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 24);
        a = a + y + b;
        d = BitOperations.RotateRight(d ^ a, 16);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 63);
    }
}
