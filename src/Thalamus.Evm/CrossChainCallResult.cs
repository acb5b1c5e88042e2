namespace Thalamus.Evm;

/// <summary>
/// The outcome of a call to the cross-chain call address. <see cref="Success"/> false means the call
/// itself failed (malformed input, not enough gas) and consumes its gas like a failed precompile;
/// a destination that reverts is a success whose <see cref="Output"/> encodes <c>(false, revertData)</c>.
/// </summary>
public readonly record struct CrossChainCallResult(bool Success, long GasUsed, byte[] Output)
{
    public static CrossChainCallResult Failed { get; } = new(false, 0, []);
}
