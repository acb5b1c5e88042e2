using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Thalamus.Crypto;

/// <summary>
/// The BLAKE2b compression function F (RFC 7693 §3.2) with a caller-chosen number of rounds,
/// as exposed by the EIP-152 precompile (0x09).
/// </summary>
/// <remarks>
/// A caller may ask for up to 2^32-1 rounds, so the round loop is the hot path: the AVX2 path
/// (<see cref="CompressVector"/>) keeps the four state rows in YMM registers; <see cref="CompressScalar"/>
/// keeps the 16 words in locals. Both read the message through <see cref="Schedule"/>, a per-round
/// table of message-word indices laid out in the order the vector lanes consume them.
/// </remarks>
public static partial class Blake2F
{
    /// <summary>rounds (4, big-endian) || h (64) || m (128) || t0 (8) || t1 (8) || f (1).</summary>
    public const int InputLength = 213;
    public const int OutputLength = 64;

    /// <summary>True when <see cref="Compress"/> runs the AVX2 path on this machine.</summary>
    public static bool IsVectorized => Avx2.IsSupported;

    private const ulong Iv0 = 0x6A09E667F3BCC908, Iv1 = 0xBB67AE8584CAA73B, Iv2 = 0x3C6EF372FE94F82B, Iv3 = 0xA54FF53A5F1D36F1;
    private const ulong Iv4 = 0x510E527FADE682D1, Iv5 = 0x9B05688C2B3E6C1F, Iv6 = 0x1F83D9ABFB41BD6B, Iv7 = 0x5BE0CD19137E2179;

    /// <summary>The schedule repeats every ten rounds: round i uses permutation i mod 10.</summary>
    private const int SchedulePeriod = 10;

    /// <summary>
    /// RFC 7693's SIGMA rearranged per round into four groups of four message-word indices:
    /// [0..3] the first word (x) of the column steps G0..G3, [4..7] their second word (y),
    /// [8..11] x of the diagonal steps, [12..15] their y. The diagonal groups are rotated by one
    /// lane (lane k holds diagonal (k+3) mod 4) because the vector path diagonalizes by moving rows
    /// a, c and d and leaving row b, the last one computed, in place.
    /// </summary>
    private static ReadOnlySpan<byte> Schedule =>
    [
        0, 2, 4, 6, 1, 3, 5, 7, 14, 8, 10, 12, 15, 9, 11, 13,
        14, 4, 9, 13, 10, 8, 15, 6, 5, 1, 0, 11, 3, 12, 2, 7,
        11, 12, 5, 15, 8, 0, 2, 13, 9, 10, 3, 7, 4, 14, 6, 1,
        7, 3, 13, 11, 9, 1, 12, 14, 15, 2, 5, 4, 8, 6, 10, 0,
        9, 5, 2, 10, 0, 7, 4, 15, 3, 14, 11, 6, 13, 1, 12, 8,
        2, 6, 0, 8, 12, 10, 11, 3, 1, 4, 7, 15, 9, 13, 5, 14,
        12, 1, 14, 4, 5, 15, 13, 10, 8, 0, 6, 9, 11, 7, 3, 2,
        13, 7, 12, 3, 11, 14, 1, 9, 2, 5, 15, 8, 10, 0, 4, 6,
        6, 14, 11, 0, 15, 9, 3, 8, 10, 12, 13, 1, 5, 2, 7, 4,
        10, 8, 7, 1, 2, 4, 6, 5, 13, 15, 9, 3, 0, 11, 14, 12,
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
        ulong t0 = BinaryPrimitives.ReadUInt64LittleEndian(input213.Slice(196, 8));
        ulong t1 = BinaryPrimitives.ReadUInt64LittleEndian(input213.Slice(204, 8));
        if (BitConverter.IsLittleEndian && !input213.Overlaps(output64))
        {
            // The words are little-endian already: compress in place in the output, reading m from
            // the input (unless the buffers overlap, when writing h could overwrite m).
            Span<byte> h = output64[..OutputLength];
            input213.Slice(4, 64).CopyTo(h);
            Compress(rounds, MemoryMarshal.Cast<byte, ulong>(h), MemoryMarshal.Cast<byte, ulong>(input213.Slice(68, 128)), t0, t1, input213[212] == 1);
            return true;
        }

        Span<ulong> state = stackalloc ulong[8];
        Span<ulong> m = stackalloc ulong[16];
        for (int i = 0; i < 8; i++)
            state[i] = BinaryPrimitives.ReadUInt64LittleEndian(input213.Slice(4 + 8 * i, 8));
        for (int i = 0; i < 16; i++)
            m[i] = BinaryPrimitives.ReadUInt64LittleEndian(input213.Slice(68 + 8 * i, 8));

        Compress(rounds, state, m, t0, t1, input213[212] == 1);

        for (int i = 0; i < 8; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(output64.Slice(8 * i, 8), state[i]);
        return true;
    }

    /// <summary>F(h, m, t, f) with <paramref name="rounds"/> rounds; updates <paramref name="state"/> (8 words) in place.</summary>
    public static void Compress(uint rounds, Span<ulong> state, ReadOnlySpan<ulong> message, ulong t0, ulong t1, bool finalBlock)
    {
        Validate(state, message);
        if (Avx2.IsSupported)
            CompressAvx2(rounds, state, message, t0, t1, finalBlock);
        else
            CompressPortable(rounds, state, message, t0, t1, finalBlock);
    }

    /// <summary>
    /// <see cref="Compress"/> on the portable scalar path whatever the hardware; the reference the
    /// vector path is tested against.
    /// </summary>
    public static void CompressScalar(uint rounds, Span<ulong> state, ReadOnlySpan<ulong> message, ulong t0, ulong t1, bool finalBlock)
    {
        Validate(state, message);
        CompressPortable(rounds, state, message, t0, t1, finalBlock);
    }

    /// <summary><see cref="Compress"/> on the AVX2 path; <see cref="PlatformNotSupportedException"/> without AVX2.</summary>
    public static void CompressVector(uint rounds, Span<ulong> state, ReadOnlySpan<ulong> message, ulong t0, ulong t1, bool finalBlock)
    {
        Validate(state, message);
        if (!Avx2.IsSupported)
            throw new PlatformNotSupportedException("The vectorized BLAKE2b compression needs AVX2.");
        CompressAvx2(rounds, state, message, t0, t1, finalBlock);
    }

    private static void Validate(Span<ulong> state, ReadOnlySpan<ulong> message)
    {
        if (state.Length != 8)
            throw new ArgumentException("The BLAKE2b state is 8 words.", nameof(state));
        if (message.Length != 16)
            throw new ArgumentException("A BLAKE2b message block is 16 words.", nameof(message));
    }
}
