using Thalamus.Core;

namespace Thalamus.Evm;

/// <summary>The cluster's native synchronous-call entry point (see <see cref="ICrossChainCallHandler"/>).</summary>
public static class CrossChainCall
{
    /// <summary>0x4200000000000000000000000000000000000024 on every member chain.</summary>
    public static readonly Address Address = Address.Parse("0x4200000000000000000000000000000000000024");

    /// <summary>What a synchronous call costs the origin on top of the gas the destination used.</summary>
    public const long BaseGas = 20_000;
}
