using Thalamus.Core;

namespace Thalamus.Governance;

/// <summary>What a decision asks of the cluster (an event of ClusterDecisions).</summary>
public enum DecisionKind
{
    Admission,
    Removal,
    ProfileScore,
    Parameter,
    Upgrade,
}

/// <summary>How far the cluster got in carrying out a decision.</summary>
public enum DecisionStatus
{
    /// <summary>Read from the home chain; carried out when the slot that executed it ends.</summary>
    Pending,
    /// <summary>
    /// Carried out (the chain added or removed, the score or parameter in force from the next slot, the upgrade's code at
    /// its target on every member chain where the target has code).
    /// </summary>
    Carried,
    /// <summary>The cluster refused to carry it out (see the reason).</summary>
    Refused,
}

/// <summary>A decision the Agora (or an election) executed on the home chain, as the node carries it out.</summary>
public sealed class GovernanceDecision
{
    public required int Index { get; init; }
    public required DecisionKind Kind { get; init; }
    /// <summary>The home chain's block and transaction that executed it.</summary>
    public required ulong Block { get; init; }
    public required Hash256 Transaction { get; init; }
    /// <summary>The slot it takes effect in: the one after the slot that executed it (0 when rebuilt from the chain at start).</summary>
    public ulong ActivationSlot { get; set; }
    /// <summary>The chain admitted, removed or scored (0 for a parameter or an upgrade).</summary>
    public ulong ChainId { get; init; }
    /// <summary>Admission: the profile (block time in ms, gas limit, name).</summary>
    public ulong BlockTimeMs { get; init; }
    public ulong GasLimit { get; init; }
    public string? Name { get; init; }
    /// <summary>Profile score or parameter key; upgrade: the code hash.</summary>
    public Hash256 Key { get; init; }
    /// <summary>Profile score or parameter value.</summary>
    public UInt256 Value { get; init; }
    /// <summary>Upgrade: the predeploy upgraded.</summary>
    public Address Target { get; init; }
    /// <summary>Upgrade: the new runtime code (its Keccak-256 is <see cref="Key"/>).</summary>
    public byte[]? Code { get; init; }
    /// <summary>Parameter or upgrade: the id the Gerousia approved.</summary>
    public Hash256 Change { get; init; }
    public DecisionStatus Status { get; set; }
    public string? Reason { get; set; }
}
