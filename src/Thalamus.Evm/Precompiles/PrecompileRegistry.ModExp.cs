using Thalamus.Core;

namespace Thalamus.Evm.Precompiles;

// 0x05 modexp (EIP-198) priced by EIP-2565.
public static partial class PrecompileRegistry
{
    public const long ModExpMinimumGas = 200;

    private static PrecompileResult ModExp(ReadOnlySpan<byte> input, long gasAvailable)
    {
        long gas = ModExpGas(input);
        if (!CanPay(gas, gasAvailable))
            return PrecompileResult.Failure(gasAvailable);
        try
        {
            return new PrecompileResult(true, gas, Crypto.ModExp.Run(input));
        }
        catch (ArgumentOutOfRangeException)
        {
            // Only reachable with an unrealistic gas budget (≥ 2^50): the operands cannot be materialised.
            return PrecompileResult.Failure(gasAvailable);
        }
    }

    /// <summary>
    /// EIP-2565: max(200, ceil(max(baseLength, modulusLength) / 8)² · iterations / 3), where
    /// iterations = max(1, the exponent's adjusted bit length). Saturates at long.MaxValue, which
    /// no call can pay, so absurd lengths fail as out of gas before anything is allocated.
    /// </summary>
    public static long ModExpGas(ReadOnlySpan<byte> input)
    {
        Crypto.ModExp.ReadHeader(input, out UInt256 baseLength, out UInt256 exponentLength, out UInt256 modulusLength);

        UInt256 maxLength = baseLength > modulusLength ? baseLength : modulusLength;
        // Above 2^32 bytes the complexity alone (≥ 2^58) times any iteration count exceeds what gas can buy.
        if (maxLength > uint.MaxValue)
            return long.MaxValue;
        ulong words = ((ulong)maxLength + 7) / 8;
        UInt128 complexity = (UInt128)words * words;
        if (complexity == 0)
            return ModExpMinimumGas; // nothing to multiply: the exponent is never even read

        UInt256 head = Crypto.ModExp.ReadExponentHead(input, baseLength, exponentLength);
        // The position of the head's highest set bit (0 when the head is zero).
        ulong headBits = head.IsZero ? 0UL : (ulong)(head.BitLength - 1);
        UInt128 iterations;
        if (exponentLength <= 32)
        {
            iterations = headBits;
        }
        else
        {
            if (exponentLength > uint.MaxValue)
                return long.MaxValue;
            iterations = (UInt128)8 * ((ulong)exponentLength - 32) + headBits;
        }
        if (iterations < 1)
            iterations = 1;

        UInt128 gas = complexity * iterations / 3;
        if (gas > long.MaxValue)
            return long.MaxValue;
        return Math.Max(ModExpMinimumGas, (long)gas);
    }
}
