using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Thalamus.Crypto;

/// <summary>
/// The BLAKE2b compression function F (RFC 7693 §3.2) with a caller-chosen number of rounds,
/// as exposed by the EIP-152 precompile (0x09).
/// </summary>
public static class Blake2F
{
    /// <summary>rounds (4, big-endian) || h (64) || m (128) || t0 (8) || t1 (8) || f (1).</summary>
    public const int InputLength = 213;
    public const int OutputLength = 64;

    private static ReadOnlySpan<ulong> InitializationVector =>
    [
        0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
        0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179,
    ];

    // Message schedule; round i uses row i mod 10.
    private static ReadOnlySpan<byte> Sigma =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
        11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
        7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
        9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
        2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
        12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
        13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
        6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
        10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
    ];

    /// <summary>The round count of an EIP-152 input (its gas cost), or null if the input is not 213 bytes.</summary>
    public static uint? ReadRounds(ReadOnlySpan<byte> input) =>
        input.Length == InputLength ? BinaryPrimitives.ReadUInt32BigEndian(input) : null;

    /// <summary>
    /// Runs F on an EIP-152 encoded input and writes the new state h (64 bytes, little-endian words).
    /// False if the input is not exactly 213 bytes or the final-block flag is neither 0 nor 1.
    /// </summary>
    public static bool TryCompress(ReadOnlySpan<byte> input213, Span<byte> output64)
    {
        if (output64.Length < OutputLength)
            throw new ArgumentException($"The output buffer must hold {OutputLength} bytes.", nameof(output64));
        if (input213.Length != InputLength || input213[212] > 1)
            return false;

        uint rounds = BinaryPrimitives.ReadUInt32BigEndian(input213);
        Span<ulong> h = stackalloc ulong[8];
        Span<ulong> m = stackalloc ulong[16];
        for (int i = 0; i < 8; i++)
            h[i] = BinaryPrimitives.ReadUInt64LittleEndian(input213.Slice(4 + 8 * i, 8));
        for (int i = 0; i < 16; i++)
            m[i] = BinaryPrimitives.ReadUInt64LittleEndian(input213.Slice(68 + 8 * i, 8));
        ulong t0 = BinaryPrimitives.ReadUInt64LittleEndian(input213.Slice(196, 8));
        ulong t1 = BinaryPrimitives.ReadUInt64LittleEndian(input213.Slice(204, 8));

        Compress(rounds, h, m, t0, t1, input213[212] == 1);

        for (int i = 0; i < 8; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(output64.Slice(8 * i, 8), h[i]);
        return true;
    }

    /// <summary>F(h, m, t, f) with <paramref name="rounds"/> rounds; updates <paramref name="state"/> (8 words) in place.</summary>
    public static void Compress(uint rounds, Span<ulong> state, ReadOnlySpan<ulong> message, ulong t0, ulong t1, bool finalBlock)
    {
        if (state.Length != 8)
            throw new ArgumentException("The BLAKE2b state is 8 words.", nameof(state));
        if (message.Length != 16)
            throw new ArgumentException("A BLAKE2b message block is 16 words.", nameof(message));

        ReadOnlySpan<ulong> iv = InitializationVector;
        ulong v0 = state[0], v1 = state[1], v2 = state[2], v3 = state[3];
        ulong v4 = state[4], v5 = state[5], v6 = state[6], v7 = state[7];
        ulong v8 = iv[0], v9 = iv[1], v10 = iv[2], v11 = iv[3];
        ulong v12 = iv[4] ^ t0, v13 = iv[5] ^ t1, v14 = finalBlock ? ~iv[6] : iv[6], v15 = iv[7];

        ReadOnlySpan<byte> sigma = Sigma;
        int row = 0;
        for (uint round = 0; round < rounds; round++)
        {
            ReadOnlySpan<byte> s = sigma.Slice(row, 16);
            G(ref v0, ref v4, ref v8, ref v12, message[s[0]], message[s[1]]);
            G(ref v1, ref v5, ref v9, ref v13, message[s[2]], message[s[3]]);
            G(ref v2, ref v6, ref v10, ref v14, message[s[4]], message[s[5]]);
            G(ref v3, ref v7, ref v11, ref v15, message[s[6]], message[s[7]]);
            G(ref v0, ref v5, ref v10, ref v15, message[s[8]], message[s[9]]);
            G(ref v1, ref v6, ref v11, ref v12, message[s[10]], message[s[11]]);
            G(ref v2, ref v7, ref v8, ref v13, message[s[12]], message[s[13]]);
            G(ref v3, ref v4, ref v9, ref v14, message[s[14]], message[s[15]]);
            row = row == 144 ? 0 : row + 16;
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref ulong a, ref ulong b, ref ulong c, ref ulong d, ulong x, ulong y)
    {
        a = a + b + x;
        d = BitOperations.RotateRight(d ^ a, 32);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 24);
        a = a + b + y;
        d = BitOperations.RotateRight(d ^ a, 16);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 63);
    }
}
