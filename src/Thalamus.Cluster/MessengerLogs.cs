using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Cluster;

/// <summary>The ClusterMessenger's events and calls as the node reads and writes them.</summary>
internal static class MessengerLogs
{
    /// <summary>MessageSent(bytes32 indexed id, uint256 indexed destinationChainId, address indexed target, address sender, uint256 nonce, bytes data).</summary>
    public static readonly Hash256 MessageSent = Abi.EventTopic("MessageSent(bytes32,uint256,address,address,uint256,bytes)");
    /// <summary>MessageRelayed(bytes32 indexed id, uint256 indexed sourceChainId, address indexed target).</summary>
    public static readonly Hash256 MessageRelayed = Abi.EventTopic("MessageRelayed(bytes32,uint256,address)");
    /// <summary>MessageFailed(bytes32 indexed id, uint256 indexed sourceChainId, address indexed target, bytes revertData).</summary>
    public static readonly Hash256 MessageFailed = Abi.EventTopic("MessageFailed(bytes32,uint256,address,bytes)");

    /// <summary>MessageReturned(bytes32 indexed id, uint256 indexed destinationChainId, address indexed sender, bool ok).</summary>
    public static readonly Hash256 MessageReturned = Abi.EventTopic("MessageReturned(bytes32,uint256,address,bool)");

    private static readonly AbiSelector ReturnMessage = Abi.Selector("returnMessage(bytes32,uint256,uint256,address,address,bytes,bytes)");

    private static readonly AbiSelector RelayMessage = Abi.Selector("relayMessage(bytes32,uint256,address,address,bytes)");

    public static bool IsMessengerLog(LogRecord log) => log.Address == ClusterPredeploys.Messenger && log.Topics.Count == 4;

    /// <summary>A MessageSent log of chain <paramref name="sourceChainId"/> as a pending message; null when it is malformed.</summary>
    public static ClusterMessage? ReadSent(LogRecord log, ulong sourceChainId, long sentAtMs, ulong slot, long? slotMs = null)
    {
        if (!IsMessengerLog(log) || log.Topics[0] != MessageSent) return null;
        try
        {
            var destination = log.Topics[2].ToUInt256();
            if (!destination.IsUInt64) return null;
            var data = new AbiReader(log.Data);
            return new ClusterMessage
            {
                Id = log.Topics[1],
                SourceChainId = sourceChainId,
                DestinationChainId = (ulong)destination,
                Target = new Address(log.Topics[3].Bytes[12..]),
                Sender = data.Address(0),
                Nonce = data.Word(1),
                Data = data.Bytes(2),
                SentBlockNumber = log.BlockNumber,
                SentTransactionHash = log.TransactionHash,
                SentAtMs = sentAtMs,
                SentSlot = slot,
                SentSlotMs = slotMs,
            };
        }
        catch (AbiException)
        {
            return null;
        }
    }

    /// <summary>The calldata of the relayer's delivery of <paramref name="message"/>.</summary>
    public static byte[] EncodeRelay(ClusterMessage message) =>
        Abi.EncodeCall(RelayMessage, message.Id, message.SourceChainId, message.Sender, message.Target, AbiValue.Bytes(message.Data));

    /// <summary>The calldata of the relayer's return of <paramref name="message"/> on its source chain, with its revert data as the reason.</summary>
    public static byte[] EncodeReturn(ClusterMessage message) =>
        Abi.EncodeCall(ReturnMessage, message.Id, message.DestinationChainId, message.Nonce, message.Sender, message.Target,
            AbiValue.Bytes(message.Data), AbiValue.Bytes(message.RevertData ?? []));

    /// <summary>The ok flag of a MessageReturned log (false when malformed).</summary>
    public static bool ReadReturnedOk(LogRecord log) => log.Data.Length == 32 && log.Data[31] == 1;

    /// <summary>The revert data a MessageFailed log carries (empty when malformed).</summary>
    public static byte[] ReadRevertData(LogRecord log)
    {
        try
        {
            return new AbiReader(log.Data).Bytes(0);
        }
        catch (AbiException)
        {
            return [];
        }
    }
}
