using Thalamus.Core;
using Thalamus.Dlx;

namespace Thalamus.Ddpn;

/// <summary>The DDPN part of the chains' profiles (docs/ddpn.md).</summary>
public sealed class DdpnOptions
{
    /// <summary>The DLX memory limit of each chain's unit (a multiple of 4096, 4 KiB – 256 MiB); chains not listed get <see cref="DefaultMemoryLimit"/>.</summary>
    public IReadOnlyDictionary<ulong, uint> MemoryLimits { get; init; } = new Dictionary<ulong, uint>();

    public uint DefaultMemoryLimit { get; init; } = DlxMachineOptions.DefaultMemoryLimit;

    /// <summary>
    /// The ERC-20 the DDPN is paid in (offers' escrow, Pythia stakes), at the same address on every chain that takes payments; the escrow
    /// (<see cref="DdpnAddresses.Escrow"/>) holds it on the chain where it was paid. Default: the Hermes token's predeploy address.
    /// </summary>
    public Address PaymentToken { get; init; } = DdpnAddresses.DefaultPaymentToken;

    public uint MemoryLimitOf(ulong chainId) => MemoryLimits.TryGetValue(chainId, out var limit) ? limit : DefaultMemoryLimit;
}
