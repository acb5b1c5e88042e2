using Thalamus.Core;

namespace Thalamus.Rpc.Tests;

/// <summary>Tiny hand-assembled contracts for the tests.</summary>
internal static class Bytecode
{
    /// <summary>The topic the log emitter logs with.</summary>
    public static readonly Hash256 PingTopic = Abi.EventTopic("Ping(bytes)");

    /// <summary>The revert reason of <see cref="Reverter"/>.</summary>
    public const string RevertReason = "nope";

    /// <summary>Emits LOG1(PingTopic) with the call data as the log data.</summary>
    public static byte[] LogEmitter { get; } = [
        0x36, 0x60, 0x00, 0x60, 0x00, 0x37,     // CALLDATACOPY(0, 0, CALLDATASIZE)
        0x7f, .. PingTopic.Bytes,               // PUSH32 topic
        0x36, 0x60, 0x00, 0xa1,                 // LOG1(0, CALLDATASIZE, topic)
        0x00,
    ];

    /// <summary>The ABI encoding of Error("nope").</summary>
    public static byte[] RevertData { get; } = Abi.EncodeError(RevertReason);

    /// <summary>Always reverts with Error("nope").</summary>
    public static byte[] Reverter { get; } = [
        0x60, (byte)RevertData.Length, 0x60, 0x0c, 0x60, 0x00, 0x39, // CODECOPY(0, 12, len)
        0x60, (byte)RevertData.Length, 0x60, 0x00, 0xfd,             // REVERT(0, len)
        .. RevertData,
    ];

    /// <summary>Init code that returns <paramref name="runtime"/>.</summary>
    public static byte[] Deployer(byte[] runtime) => [
        0x61, (byte)(runtime.Length >> 8), (byte)runtime.Length, // PUSH2 len
        0x80, 0x60, 0x0c, 0x60, 0x00, 0x39,                      // CODECOPY(0, 12, len)
        0x60, 0x00, 0xf3,                                        // RETURN(0, len)
        .. runtime,
    ];
}
