namespace Thalamus.Chain;

/// <summary>eth_simulateV1's input (geth's shape): blocks built in order on top of a base block.</summary>
public sealed class SimulationRequest
{
    /// <summary>Most blocks one simulation may build (geth: 256).</summary>
    public const int MaxBlocks = 256;

    public IReadOnlyList<SimulatedBlockRequest> Blocks { get; init; } = [];

    /// <summary>True: the calls are checked as transactions (nonce, funds, base fee); false: like eth_call (base fee 0 unless overridden).</summary>
    public bool Validation { get; init; }

    /// <summary>True: each call's logs include its ether transfers (<see cref="Tracing.TransferLogTracer"/>).</summary>
    public bool TraceTransfers { get; init; }
}
