using Thalamus.Core;

namespace Thalamus.Cluster.Tests;

/// <summary>
/// Hand-assembled contracts for call shapes the Solidity test contracts do not make: a STATICCALL to
/// the CrossChainCall address, and a call to it followed by a revert of the calling frame.
/// </summary>
internal static class RawContracts
{
    private static readonly byte[] CrossChainCallPush = [0x73, .. ClusterPredeploys.CrossChainCall.Bytes];

    /// <summary>
    /// STATICCALLs CrossChainCall with its own calldata; stores the success flag in slot 2, the
    /// result's first word (ok) in slot 0 and fourth word (the first word of the returned bytes) in slot 1.
    /// </summary>
    public static byte[] StaticForwarder => InitCode([
        0x36, 0x5f, 0x5f, 0x37,                          // calldatacopy(0, 0, calldatasize)
        0x5f, 0x5f, 0x36, 0x5f, .. CrossChainCallPush, 0x5a, 0xfa, // staticcall(gas, cross, 0, cds, 0, 0)
        0x60, 0x02, 0x55,                                // sstore(2, success)
        0x3d, 0x5f, 0x5f, 0x3e,                          // returndatacopy(0, 0, returndatasize)
        0x5f, 0x51, 0x5f, 0x55,                          // sstore(0, mload(0))
        0x60, 0x60, 0x51, 0x60, 0x01, 0x55,              // sstore(1, mload(0x60))
        0x3d, 0x5f, 0xf3,                                // return(0, returndatasize)
    ]);

    /// <summary>CALLs CrossChainCall with its own calldata, then reverts: the cross-chain call must be undone.</summary>
    public static byte[] RevertingForwarder => InitCode([
        0x36, 0x5f, 0x5f, 0x37,                                // calldatacopy(0, 0, calldatasize)
        0x5f, 0x5f, 0x36, 0x5f, 0x5f, .. CrossChainCallPush, 0x5a, 0xf1, // call(gas, cross, 0, 0, cds, 0, 0)
        0x5f, 0x5f, 0xfd,                                      // revert(0, 0)
    ]);

    /// <summary>crossCall(destination, target, data) as a contract or an account calls it.</summary>
    public static byte[] CrossCall(ulong destination, Address target, byte[] data) =>
        Abi.Call("crossCall(uint256,address,bytes)", destination, target, AbiValue.Bytes(data));

    private static byte[] InitCode(byte[] runtime)
    {
        var length = (byte)runtime.Length;
        // codecopy(0, 10, length); return(0, length)
        return [0x60, length, 0x60, 0x0a, 0x5f, 0x39, 0x60, length, 0x5f, 0xf3, .. runtime];
    }
}
