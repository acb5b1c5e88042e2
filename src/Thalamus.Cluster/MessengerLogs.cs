using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Cluster;

/// <summary>The ClusterMessenger's events and calls as the node reads and writes them.</summary>
internal static class MessengerLogs
{
    /// <summary>MessageSent(bytes32 indexed id, uint256 indexed destinationChainId, address indexed target, address sender, uint256 nonce, bytes data).</summary>
    public static readonly Hash256 MessageSent = Keccak256.Compute("MessageSent(bytes32,uint256,address,address,uint256,bytes)"u8);
    /// <summary>MessageRelayed(bytes32 indexed id, uint256 indexed sourceChainId, address indexed target).</summary>
    public static readonly Hash256 MessageRelayed = Keccak256.Compute("MessageRelayed(bytes32,uint256,address)"u8);
    /// <summary>MessageFailed(bytes32 indexed id, uint256 indexed sourceChainId, address indexed target, bytes revertData).</summary>
    public static readonly Hash256 MessageFailed = Keccak256.Compute("MessageFailed(bytes32,uint256,address,bytes)"u8);

    /// <summary>relayMessage(bytes32,uint256,address,address,bytes).</summary>
    private static readonly byte[] RelayMessageSelector = [0xc7, 0xb7, 0x92, 0xa2];

    public static bool IsMessengerLog(LogRecord log) => log.Address == ClusterPredeploys.Messenger && log.Topics.Count == 4;

    /// <summary>A MessageSent log of chain <paramref name="sourceChainId"/> as a pending message; null when it is malformed.</summary>
    public static ClusterMessage? ReadSent(LogRecord log, ulong sourceChainId, long sentAtMs, ulong slot, long? slotMs = null)
    {
        if (!IsMessengerLog(log) || log.Topics[0] != MessageSent) return null;
        try
        {
            var destination = log.Topics[2].ToUInt256();
            if (!destination.IsUInt64) return null;
            var data = log.Data;
            return new ClusterMessage
            {
                Id = log.Topics[1],
                SourceChainId = sourceChainId,
                DestinationChainId = (ulong)destination,
                Target = new Address(log.Topics[3].Bytes[12..]),
                Sender = AbiCodec.ReadAddress(data, 0),
                Nonce = AbiCodec.ReadWord(data, 1),
                Data = AbiCodec.ReadBytes(data, 2),
                SentBlockNumber = log.BlockNumber,
                SentTransactionHash = log.TransactionHash,
                SentAtMs = sentAtMs,
                SentSlot = slot,
                SentSlotMs = slotMs,
            };
        }
        catch (FormatException)
        {
            return null;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The calldata of the relayer's delivery of <paramref name="message"/>.</summary>
    public static byte[] EncodeRelay(ClusterMessage message) =>
        AbiCodec.Encode(RelayMessageSelector,
        [
            message.Id.ToUInt256(), new UInt256(message.SourceChainId), message.Sender.ToUInt256(), message.Target.ToUInt256(),
        ], message.Data);

    /// <summary>The revert data a MessageFailed log carries (empty when malformed).</summary>
    public static byte[] ReadRevertData(LogRecord log)
    {
        try
        {
            return AbiCodec.ReadBytes(log.Data, 0);
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            return [];
        }
    }
}
