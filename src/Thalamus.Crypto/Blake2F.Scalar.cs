using System.Numerics;
using System.Runtime.CompilerServices;

namespace Thalamus.Crypto;

// The portable path (no AVX2): the 16 working words live in locals, the message words are copied
// once into a frame-local table in schedule order, and the ten distinct rounds are unrolled so every
// message read is at a constant frame offset: no span indexing and no index registers in the loop.
public static partial class Blake2F
{
    [SkipLocalsInit]
    private static void CompressPortable(uint rounds, Span<ulong> state, ReadOnlySpan<ulong> message, ulong t0, ulong t1, bool finalBlock)
    {
        ulong v0 = state[0], v1 = state[1], v2 = state[2], v3 = state[3];
        ulong v4 = state[4], v5 = state[5], v6 = state[6], v7 = state[7];
        ulong v8 = Iv0, v9 = Iv1, v10 = Iv2, v11 = Iv3;
        ulong v12 = Iv4 ^ t0, v13 = Iv5 ^ t1, v14 = finalBlock ? ~Iv6 : Iv6, v15 = Iv7;

        // The message words of the ten distinct rounds in schedule order, in a frame-local table so
        // the unrolled rounds below read each one at a constant offset from the frame.
        Unsafe.SkipInit(out ScheduledWords words);
        ReadOnlySpan<byte> schedule = Schedule;
        int distinctRounds = (int)Math.Min(rounds, SchedulePeriod);
        for (int i = 0; i < 16 * distinctRounds; i++)
            words[i] = message[schedule[i]];

        uint blocks = rounds / SchedulePeriod;
        for (uint block = 0; block < blocks; block++)
        {
            Round(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7, ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref words[0]);
            Round(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7, ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref words[16]);
            Round(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7, ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref words[32]);
            Round(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7, ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref words[48]);
            Round(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7, ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref words[64]);
            Round(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7, ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref words[80]);
            Round(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7, ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref words[96]);
            Round(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7, ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref words[112]);
            Round(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7, ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref words[128]);
            Round(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7, ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref words[144]);
        }

        for (int row = 0; row < (int)(rounds % SchedulePeriod); row++)
            Round(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7, ref v8, ref v9, ref v10, ref v11, ref v12, ref v13, ref v14, ref v15, ref words[16 * row]);

        state[0] ^= v0 ^ v8;
        state[1] ^= v1 ^ v9;
        state[2] ^= v2 ^ v10;
        state[3] ^= v3 ^ v11;
        state[4] ^= v4 ^ v12;
        state[5] ^= v5 ^ v13;
        state[6] ^= v6 ^ v14;
        state[7] ^= v7 ^ v15;
    }

    /// <summary>One round (column then diagonal steps) reading its message words from the schedule row at <paramref name="w"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(
        ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3, ref ulong v4, ref ulong v5, ref ulong v6, ref ulong v7,
        ref ulong v8, ref ulong v9, ref ulong v10, ref ulong v11, ref ulong v12, ref ulong v13, ref ulong v14, ref ulong v15,
        ref ulong w)
    {
        G(ref v0, ref v4, ref v8, ref v12, ref w, 0, 4);
        G(ref v1, ref v5, ref v9, ref v13, ref w, 1, 5);
        G(ref v2, ref v6, ref v10, ref v14, ref w, 2, 6);
        G(ref v3, ref v7, ref v11, ref v15, ref w, 3, 7);
        // Diagonal j reads schedule lane (j + 1) mod 4 (see Schedule).
        G(ref v0, ref v5, ref v10, ref v15, ref w, 9, 13);
        G(ref v1, ref v6, ref v11, ref v12, ref w, 10, 14);
        G(ref v2, ref v7, ref v8, ref v13, ref w, 11, 15);
        G(ref v3, ref v4, ref v9, ref v14, ref w, 8, 12);
    }

    /// <summary>The message words of the ten distinct rounds, 16 per round in <see cref="Schedule"/> order.</summary>
    [InlineArray(16 * SchedulePeriod)]
    private struct ScheduledWords
    {
        private ulong _first;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref ulong a, ref ulong b, ref ulong c, ref ulong d, ref ulong words, int x, int y)
    {
        // (a + x) + b: b is the last word of the previous step to be ready, so it goes last.
        a = a + Unsafe.Add(ref words, x) + b;
        d = BitOperations.RotateRight(d ^ a, 32);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 24);
        a = a + Unsafe.Add(ref words, y) + b;
        d = BitOperations.RotateRight(d ^ a, 16);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 63);
    }
}
