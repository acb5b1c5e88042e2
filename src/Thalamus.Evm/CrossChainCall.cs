using Thalamus.Core;

namespace Thalamus.Evm;

/// <summary>The cluster's native synchronous-call entry point (see <see cref="ICrossChainCallHandler"/>).</summary>
public static class CrossChainCall
{
    /// <summary>0x4200000000000000000000000000000000000024 on every member chain.</summary>
    public static readonly Address Address = Address.Parse("0x4200000000000000000000000000000000000024");
}
