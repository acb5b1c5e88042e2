using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Thalamus.Core;

/// <summary>
/// Keccak-256 as Ethereum uses it: the original Keccak submission's padding (domain byte 0x01),
/// not FIPS-202 SHA3-256 (0x06). Allocation-free: the state lives on the stack.
/// </summary>
public static partial class Keccak256
{
    /// <summary>Bytes absorbed per permutation: 1600 bits minus twice the 256-bit output.</summary>
    public const int Rate = 136;

    public const int HashLength = 32;

    private const int RateLanes = Rate / 8;

    /// <summary>keccak256("") = 0xc5d2…a470, the code hash of an account without code.</summary>
    public static readonly Hash256 OfEmpty = Compute([]);

    /// <summary>keccak256(rlp("")) = 0x56e8…b421, the root of an empty trie.</summary>
    public static readonly Hash256 OfEmptyList = Compute([0x80]);

    /// <summary>keccak256(rlp([])) = 0x1dcc…9347, the hash of an empty ommers list.</summary>
    public static readonly Hash256 OfEmptyRlpList = Compute([0xc0]);

    public static Hash256 Compute(ReadOnlySpan<byte> input)
    {
        Span<ulong> state = stackalloc ulong[25];
        Absorb(state, input);
        if (BitConverter.IsLittleEndian)
            return new Hash256(state[0], state[1], state[2], state[3]);
        Span<byte> output = stackalloc byte[HashLength];
        Squeeze(state, output);
        return new Hash256(output);
    }

    /// <summary>Writes the 32-byte hash of <paramref name="input"/>; input and output may overlap.</summary>
    public static void Compute(ReadOnlySpan<byte> input, Span<byte> output32)
    {
        if (output32.Length < HashLength)
            throw new ArgumentException($"Keccak-256 output needs {HashLength} bytes, got {output32.Length}", nameof(output32));
        Span<ulong> state = stackalloc ulong[25];
        Absorb(state, input);
        Squeeze(state, output32);
    }

    [SkipLocalsInit]
    private static void Absorb(Span<ulong> state, ReadOnlySpan<byte> input)
    {
        while (input.Length >= Rate)
        {
            XorBlock(state, input);
            Permute(state);
            input = input[Rate..];
        }

        // Final block: the tail, then pad10*1 with Keccak's domain bit (0x01 … 0x80).
        Span<byte> block = stackalloc byte[Rate];
        input.CopyTo(block);
        block[input.Length..].Clear();
        block[input.Length] = 0x01;
        block[Rate - 1] |= 0x80;
        XorBlock(state, block);
        Permute(state);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void XorBlock(Span<ulong> state, ReadOnlySpan<byte> block)
    {
        for (var i = 0; i < RateLanes; i++)
            state[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(block.Slice(i * 8, 8));
    }

    private static void Squeeze(ReadOnlySpan<ulong> state, Span<byte> output32)
    {
        for (var i = 0; i < 4; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(output32.Slice(i * 8, 8), state[i]);
    }
}
