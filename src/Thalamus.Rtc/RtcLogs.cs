using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Rtc;

/// <summary>The gateway's RTC events (IThalamus.sol) and how the index reads them.</summary>
internal static class RtcLogs
{
    public static readonly Hash256 RtcSent = Abi.EventTopic("RtcSent(bytes32,address,uint256,bool,uint64,uint256[])");
    public static readonly Hash256 RtcAcked = Abi.EventTopic("RtcAcked(bytes32,bytes[])");
    public static readonly Hash256 RtcNacked = Abi.EventTopic("RtcNacked(bytes32,uint256,bytes)");
    public static readonly Hash256 RtcExpired = Abi.EventTopic("RtcExpired(bytes32)");
    public static readonly Hash256 RtcExecuted = Abi.EventTopic("RtcExecuted(bytes32,uint256,bool)");
    public static readonly Hash256 RtcOutbound = Abi.EventTopic("RtcOutbound(bytes32,uint256,address[],bytes)");
    public static readonly Hash256 RtcAnswered = Abi.EventTopic("RtcAnswered(bytes32,uint256,bytes)");

    /// <summary>No call: the NACK is the gateway's refusal of the whole RTC (type(uint256).max on chain).</summary>
    private static readonly UInt256 NoCall = UInt256.MaxValue;

    public static bool IsGatewayLog(LogRecord log) => log.Address == RtcPredeploys.Gateway && log.Topics.Count > 0;

    public static RtcRecord? ReadSent(LogRecord log, ulong chainId, long atMs)
    {
        if (log.Topics.Count != 4) return null;
        try
        {
            var data = new AbiReader(log.Data);
            var chains = data.Array(2, out var count);
            var chainIds = new ulong[count];
            for (var i = 0; i < count; i++) chainIds[i] = chains.UInt64(i);
            var atomic = data.Bool(0);
            var destination = (ulong)log.Topics[3].ToUInt256();
            return new RtcRecord
            {
                Id = log.Topics[1],
                OriginChainId = chainId,
                Sender = Address.FromUInt256(log.Topics[2].ToUInt256()),
                Atomic = atomic,
                DestinationChainId = atomic ? null : destination,
                ChainIds = chainIds,
                Deadline = data.UInt64(1),
                SentBlockNumber = log.BlockNumber,
                SentTransactionHash = log.TransactionHash,
                SentAtMs = atMs,
            };
        }
        catch (AbiException)
        {
            return null;
        }
    }

    /// <summary>Applies an ACK, NACK, EXPIRED (on the origin) or execution (on the destination) to its record.</summary>
    public static void Apply(RtcRecord record, LogRecord log, long atMs)
    {
        var topic = log.Topics[0];
        try
        {
            if (topic == RtcExecuted)
            {
                record.ExecutedBlockNumber = log.BlockNumber;
                record.ExecutedOk = new AbiReader(log.Data).Bool(0);
                record.ExecutedAtMs = atMs;
                return;
            }
            if (record.Status != RtcStatus.Pending) return;
            if (topic == RtcAcked)
            {
                var results = new AbiReader(log.Data).Array(0, out var count);
                var list = new byte[count][];
                for (var i = 0; i < count; i++) list[i] = results.Bytes(i);
                record.Results = list;
                record.Status = RtcStatus.Ack;
            }
            else if (topic == RtcNacked)
            {
                var data = new AbiReader(log.Data);
                var failed = data.Word(0);
                record.FailedCall = failed == NoCall || !failed.IsUInt64 ? null : (ulong)failed;
                record.Reason = data.Bytes(1);
                record.Status = RtcStatus.Nack;
            }
            else if (topic == RtcExpired) record.Status = RtcStatus.Expired;
            else return;
        }
        catch (AbiException)
        {
            return;
        }
        record.SettledBlockNumber = log.BlockNumber;
        record.SettledTransactionHash = log.TransactionHash;
        record.SettledAtMs = atMs;
    }
}
