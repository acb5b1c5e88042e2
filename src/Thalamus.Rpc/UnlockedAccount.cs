using Thalamus.Core;

namespace Thalamus.Rpc;

/// <summary>An account the node lists in eth_accounts; with a private key it signs for it (eth_sendTransaction, personal_sign), like anvil's dev accounts.</summary>
public sealed record UnlockedAccount(Address Address, byte[]? PrivateKey);
