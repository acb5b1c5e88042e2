using Thalamus.Core;
using Thalamus.Dlx;

namespace Thalamus.Ddpn;

/// <summary>The DDPN part of the chains' profiles and the market's terms (docs/ddpn.md). Every chain's management unit is built from the same options.</summary>
public sealed class DdpnOptions
{
    /// <summary>Millionths of a million: 1.0.</summary>
    public const uint Million = 1_000_000;

    /// <summary>The DLX memory limit of each chain's unit (a multiple of 4096, 4 KiB – 256 MiB); chains not listed get <see cref="DefaultMemoryLimit"/>.</summary>
    public IReadOnlyDictionary<ulong, uint> MemoryLimits { get; init; } = new Dictionary<ulong, uint>();

    public uint DefaultMemoryLimit { get; init; } = DlxMachineOptions.DefaultMemoryLimit;

    /// <summary>
    /// The ERC-20 the DDPN is paid in (offers' escrow, Pythia stakes), at the same address on every chain that takes payments; the escrow
    /// (<see cref="DdpnAddresses.Escrow"/>) holds it on the chain where it was paid. Default: the Hermes token's predeploy address.
    /// </summary>
    public Address PaymentToken { get; init; } = DdpnAddresses.DefaultPaymentToken;

    /// <summary>
    /// The chains' part of an offer's payment, in millionths (docs/ddpn.md, "Who is paid"): of the winning strategy's cost, this share is split
    /// between the chains that run the job's segments by the DLX gas placed on each; the strategist gets the rest. Default 0.5.
    /// </summary>
    public uint ChainSharePpm { get; init; } = 500_000;

    /// <summary>Who receives each chain's share (the chain's operator); a chain not listed is paid to <see cref="DefaultChainPayee"/>.</summary>
    public IReadOnlyDictionary<ulong, Address> ChainPayees { get; init; } = new Dictionary<ulong, Address>();

    /// <summary>The payee of a chain not in <see cref="ChainPayees"/>; null: such a chain takes no share (the strategist keeps it).</summary>
    public Address? DefaultChainPayee { get; init; }

    /// <summary>
    /// Slots a drawn Pythia has to vote, counted from the slot whose operations carried the close (docs/ddpn.md, "Vote timeout"); then the silent
    /// ones lose reliability as disagreeing ones and the verdict is taken from the votes cast. 0: no timeout.
    /// </summary>
    public ulong VoteTimeoutSlots { get; init; } = 16;

    public uint MemoryLimitOf(ulong chainId) => MemoryLimits.TryGetValue(chainId, out var limit) ? limit : DefaultMemoryLimit;

    /// <summary>The address chain <paramref name="chainId"/>'s share is paid to, or null when it takes none.</summary>
    public Address? PayeeOf(ulong chainId) =>
        ChainPayees.TryGetValue(chainId, out var payee) ? payee : DefaultChainPayee is { } fallback && fallback != Address.Zero ? fallback : null;

    /// <summary>Why these options cannot run, or null.</summary>
    public string? Problem()
    {
        if (ChainSharePpm > Million) return $"the chains' share is in millionths, at most {Million}, not {ChainSharePpm}";
        foreach (var (chain, payee) in ChainPayees)
            if (payee == Address.Zero) return $"chain {chain}'s payee is the zero address (the token refuses to pay it)";
        return null;
    }
}
