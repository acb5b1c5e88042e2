using Thalamus.Core;

namespace Thalamus.Ddpn;

/// <summary>The DDPN's fixed addresses (its range is 0x4200…0050 – 0x4200…005f) and the accounts it relies on.</summary>
public static class DdpnAddresses
{
    /// <summary>The virtualization unit (native): simulator, logger and manager of one chain.</summary>
    public static readonly Address Unit = Address.Parse("0x4200000000000000000000000000000000000050");

    /// <summary>The management unit (native): order book, balances held for jobs and chain profiles, the same on every chain.</summary>
    public static readonly Address Management = Address.Parse("0x4200000000000000000000000000000000000051");

    /// <summary>The escrow (Solidity, <c>DdpnEscrow</c>): holds offers' and stakes' payment tokens on the chain where they were paid, pays what the management state decides.</summary>
    public static readonly Address Escrow = Address.Parse("0x4200000000000000000000000000000000000052");

    /// <summary>The default payment token: where the governance issue predeploys the Hermes ERC-20 (a plain ERC-20 stands in until it ships).</summary>
    public static readonly Address DefaultPaymentToken = Address.Parse("0x4200000000000000000000000000000000000070");

    /// <summary>
    /// The cluster's messenger: during a synchronous cross-chain call the destination sees it as
    /// <c>msg.sender</c>, with the calling contract in its transient slot 0 and the origin chain in slot 1
    /// (docs/cluster.md); the unit checks both before it imports a machine state.
    /// </summary>
    public static readonly Address Messenger = Address.Parse("0x4200000000000000000000000000000000000023");

    /// <summary>The native synchronous-call contract (<c>crossCall(uint256,address,bytes)</c>).</summary>
    public static readonly Address CrossChainCall = Address.Parse("0x4200000000000000000000000000000000000024");
}
