using Thalamus.Core;
using Thalamus.Evm;

namespace Thalamus.Conformance;

/// <summary>The state tests' <c>logs</c> field: keccak256 of the RLP list of [address, [topics...], data].</summary>
internal static class StateTestLogs
{
    public static Hash256 Hash(IReadOnlyList<LogEntry> logs)
    {
        var items = new byte[logs.Count][];
        for (var i = 0; i < logs.Count; i++)
        {
            var log = logs[i];
            var topics = new byte[log.Topics.Length][];
            for (var t = 0; t < topics.Length; t++) topics[t] = Rlp.EncodeHash256(log.Topics[t]);
            items[i] = Rlp.EncodeList(Rlp.EncodeAddress(log.Address), Rlp.EncodeList(topics), Rlp.EncodeBytes(log.Data));
        }
        return Keccak256.Compute(Rlp.EncodeList(items));
    }
}
