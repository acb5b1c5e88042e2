namespace Thalamus.Chain;

/// <summary>One block of a simulation: its overrides, then its calls.</summary>
public sealed class SimulatedBlockRequest
{
    public SimulationBlockOverrides? BlockOverrides { get; init; }

    public IReadOnlyList<AccountOverride> StateOverrides { get; init; } = [];

    public IReadOnlyList<CallRequest> Calls { get; init; } = [];
}
