using System.Runtime.CompilerServices;

namespace Thalamus.Evm;

/// <summary>
/// Analysed bytecode: the JUMPDEST bitmap (PUSH data excluded) and padded copies of the code
/// that the interpreter reads without bounds checks. Immutable and shared across threads.
/// </summary>
/// <remarks>
/// <see cref="Dispatch"/> and <see cref="Padded"/> hold <see cref="FrontPadding"/> zero bytes, the
/// code, then <see cref="BackPadding"/> zero bytes: running off the end reads STOP (0x00), a PUSH at
/// the very end reads zeros, and a PUSH can read the 32 bytes ending at its last data byte even at pc 0.
/// </remarks>
public sealed class CodeInfo
{
    public const int FrontPadding = 32;
    public const int BackPadding = 33;

    public static readonly CodeInfo Empty = new([]);

    // Opcodes of fused pairs in Dispatch, from the range Cancun leaves undefined (0xb0..0xbf), chosen
    // from the pairs that blake2b_huff, sha1_shifts and Solidity code run most. DUPn followed by a
    // binary operation:
    internal const int FusedFirst = 0xb0;
    internal const int FusedLast = 0xbf;
    internal const int DupAdd = 0xb0;
    internal const int DupMul = 0xb1;
    internal const int DupSub = 0xb2;
    internal const int DupAnd = 0xb3;
    internal const int DupOr = 0xb4;
    internal const int DupXor = 0xb5;
    internal const int DupShl = 0xb6;
    internal const int DupShr = 0xb7;
    // PUSH1/PUSH2 followed by an instruction that takes the constant.
    internal const int Push1Shl = 0xb8;
    internal const int Push1Shr = 0xb9;
    internal const int Push1Mload = 0xba;
    internal const int Push1Mstore = 0xbb;
    internal const int Push2Mload = 0xbc;
    internal const int Push2Mstore = 0xbd;
    internal const int Push2Jump = 0xbe;
    internal const int Push2Jumpi = 0xbf;

    public byte[] Code { get; }
    private byte[]? _padded;
    /// <summary>
    /// What the untraced loop dispatches on, padded: the code with the first
    /// opcode of each fused pair replaced by the pair's opcode (for DUPn+operation, n in place of the
    /// operation), and code bytes in the fused range (undefined opcodes) by INVALID, which halts the
    /// same way. PUSH data is unchanged. The second instruction of a pair is never a JUMPDEST, so a
    /// jump cannot land inside a pair.
    /// </summary>
    internal readonly byte[] Dispatch;
    internal readonly ulong[] JumpDests;

    public CodeInfo(byte[] code)
    {
        Code = code;
        JumpDests = Analyse(code);
        Dispatch = Fuse(Pad(code), code.Length);
    }

    /// <summary>The code itself, padded like <see cref="Dispatch"/>: what the traced loop runs (built on first use).</summary>
    internal byte[] Padded
    {
        get
        {
            var padded = _padded;
            if (padded is null)
            {
                padded = Pad(Code);
                padded = Interlocked.CompareExchange(ref _padded, padded, null) ?? padded;
            }
            return padded;
        }
    }

    private static byte[] Pad(byte[] code)
    {
        var padded = new byte[FrontPadding + code.Length + BackPadding];
        code.CopyTo(padded, FrontPadding);
        return padded;
    }

    public int Length => Code.Length;

    /// <summary>True when <paramref name="destination"/> is a JUMPDEST opcode (not PUSH data).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsValidJumpDestination(int destination) =>
        (uint)destination < (uint)Code.Length && ((JumpDests[destination >> 6] >> (destination & 63)) & 1) != 0;

    private static byte[] Fuse(byte[] dispatch, int length)
    {
        var span = dispatch.AsSpan(FrontPadding, length);
        for (var pc = 0; pc < length; pc++)
        {
            var op = span[pc];
            if (op is >= FusedFirst and <= FusedLast) span[pc] = 0xfe;
            else if (op is 0x60 or 0x61)
            {
                var next = pc + op - 0x5e < length ? span[pc + op - 0x5e] : 0;
                var fused = (op, next) switch
                {
                    (0x60, 0x1b) => Push1Shl,
                    (0x60, 0x1c) => Push1Shr,
                    (0x60, 0x51) => Push1Mload,
                    (0x60, 0x52) => Push1Mstore,
                    (0x61, 0x51) => Push2Mload,
                    (0x61, 0x52) => Push2Mstore,
                    (0x61, 0x56) => Push2Jump,
                    (0x61, 0x57) => Push2Jumpi,
                    _ => 0,
                };
                if (fused != 0) span[pc] = (byte)fused;
                pc += op - 0x5f;
            }
            else if (op is >= 0x62 and <= 0x7f) pc += op - 0x5f;
            else if (op is >= 0x80 and <= 0x8f && pc + 1 < length)
            {
                var fused = span[pc + 1] switch
                {
                    0x01 => DupAdd,
                    0x02 => DupMul,
                    0x03 => DupSub,
                    0x16 => DupAnd,
                    0x17 => DupOr,
                    0x18 => DupXor,
                    0x1b => DupShl,
                    0x1c => DupShr,
                    _ => 0,
                };
                if (fused != 0)
                {
                    span[pc] = (byte)fused;
                    span[pc + 1] = (byte)(op - 0x7f);
                    pc++;
                }
            }
        }
        return dispatch;
    }

    private static ulong[] Analyse(byte[] code)
    {
        var bitmap = new ulong[(code.Length + 63) / 64 + 1];
        for (var pc = 0; pc < code.Length; pc++)
        {
            var op = code[pc];
            if (op == 0x5b) bitmap[pc >> 6] |= 1UL << (pc & 63);
            else if (op is >= 0x60 and <= 0x7f) pc += op - 0x5f;
        }
        return bitmap;
    }
}
