namespace Thalamus.Evm.Precompiles;

/// <summary>
/// The outcome of a precompile call. <see cref="GasUsed"/> is what the caller charges; when
/// <see cref="Success"/> is false (out of gas or invalid input) it is all the gas the call had
/// and <see cref="Output"/> is empty.
/// </summary>
public readonly record struct PrecompileResult(bool Success, long GasUsed, byte[] Output)
{
    /// <summary>A failed call: every unit of <paramref name="gasAvailable"/> consumed, no output.</summary>
    public static PrecompileResult Failure(long gasAvailable) => new(false, Math.Max(gasAvailable, 0), []);
}
