using System.Runtime.CompilerServices;

namespace Thalamus.Evm;

/// <summary>
/// Analysed bytecode: the JUMPDEST bitmap (PUSH data excluded) and a padded copy of the code
/// that the interpreter reads without bounds checks. Immutable and shared across threads.
/// </summary>
/// <remarks>
/// <see cref="Padded"/> holds <see cref="FrontPadding"/> zero bytes, the code, then
/// <see cref="BackPadding"/> zero bytes: running off the end reads STOP (0x00), a PUSH at the
/// very end reads zeros, and a PUSH can read 8 bytes ending at its last data byte even at pc 0.
/// </remarks>
public sealed class CodeInfo
{
    public const int FrontPadding = 8;
    public const int BackPadding = 33;

    public static readonly CodeInfo Empty = new([]);

    public byte[] Code { get; }
    internal readonly byte[] Padded;
    internal readonly ulong[] JumpDests;

    public CodeInfo(byte[] code)
    {
        Code = code;
        Padded = new byte[FrontPadding + code.Length + BackPadding];
        code.CopyTo(Padded, FrontPadding);
        JumpDests = Analyse(code);
    }

    public int Length => Code.Length;

    /// <summary>True when <paramref name="destination"/> is a JUMPDEST opcode (not PUSH data).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsValidJumpDestination(int destination) =>
        (uint)destination < (uint)Code.Length && ((JumpDests[destination >> 6] >> (destination & 63)) & 1) != 0;

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
