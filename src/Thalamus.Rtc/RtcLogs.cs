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

    private static readonly AbiSelector DeliverExternal =
        Abi.Selector("deliverExternal(uint256,bytes32,address,((uint256,address,bytes,uint8,address,uint256,uint256,address,uint64,bool)[],(uint16,uint16,uint16,uint32)[],bool,uint64))");
    private static readonly AbiSelector SettleExternal = Abi.Selector("settleExternal(bytes32,bool,uint256,bytes,bytes[],uint256[],address)");

    /// <summary>
    /// An inbound RTC from member chain <paramref name="chainId"/>'s <c>RtcAnswered(id, externalChainId, answer)</c>, which
    /// <c>deliverExternal</c> emits when it ran (or refused) an RTC sent on the external chain: the outcome from the
    /// answer (settleExternal's call data), the sender, deadline and calls' chains from the delivering transaction's input
    /// (<paramref name="delivery"/>; a delivery made by a contract, not by a relayer's own transaction, has them unknown:
    /// sender zero, the member chain as the one call chain, no deadline). Null when the answer is not readable.
    /// </summary>
    public static RtcRecord? ReadInbound(LogRecord log, ulong chainId, ReadOnlySpan<byte> delivery, long atMs)
    {
        if (log.Topics.Count != 3 || !log.Topics[2].ToUInt256().IsUInt64) return null;
        try
        {
            var answer = new AbiReader(log.Data).BytesSpan(0);
            if (!AbiReader.TryCall(answer, SettleExternal, out var settle) || settle.Bytes32(0) != log.Topics[1]) return null;
            var ok = settle.Bool(1);
            var sender = Address.Zero;
            ulong deadline = 0;
            IReadOnlyList<ulong> chainIds = [chainId];
            if (AbiReader.TryCall(delivery, DeliverExternal, out var call) && call.Bytes32(1) == log.Topics[1])
            {
                sender = call.Address(2);
                var rtc = call.Tuple(3);
                deadline = rtc.UInt64(3);
                var calls = rtc.Array(0, out var count);
                var ids = new ulong[count];
                for (var i = 0; i < count; i++) ids[i] = calls.Tuple(i).UInt64(0);
                chainIds = ids;
            }
            var record = new RtcRecord
            {
                Id = log.Topics[1],
                OriginChainId = (ulong)log.Topics[2].ToUInt256(),
                Sender = sender,
                Atomic = false,
                DestinationChainId = chainId,
                ChainIds = chainIds,
                Deadline = deadline,
                Inbound = true,
                Status = ok ? RtcStatus.Ack : RtcStatus.Nack,
                ExecutedBlockNumber = log.BlockNumber,
                ExecutedTransactionHash = log.TransactionHash,
                ExecutedOk = ok,
                ExecutedAtMs = atMs,
            };
            if (ok)
            {
                var results = settle.Array(4, out var count);
                var list = new byte[count][];
                for (var i = 0; i < count; i++) list[i] = results.Bytes(i);
                record.Results = list;
            }
            else
            {
                var failed = settle.Word(2);
                record.FailedCall = failed == NoCall || !failed.IsUInt64 ? null : (ulong)failed;
                record.Reason = settle.Bytes(3);
            }
            return record;
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
                record.ExecutedTransactionHash = log.TransactionHash;
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
