using System.Text.Json;
using Xunit;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Rpc.Tests;

/// <summary>
/// A batch of eth_sendRawTransaction entries is prepared (decoded, sender recovered) on another
/// thread while the entries run: the answers must be exactly those of running them one by one.
/// </summary>
public class BatchSendTests
{
    [Fact]
    public void A_batch_of_raw_transactions_answers_like_the_same_requests_one_by_one()
    {
        var to = TestChain.AddressOf(2);
        string Entries() => string.Join(',', new[]
        {
            Send(1, TestChain.Sign(0, to, 0, value: 1)),
            Send(2, "0xf8"),                                                        // malformed RLP
            Send(3, TestChain.Sign(0, to, 1, value: 1)),
            Send(4, TestChain.Sign(0, to, 1, value: 1)),                            // already mined: nonce too low
            Send(5, TestChain.Sign(1, to, 5, value: 1)),                            // nonce gap under automine
            "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"eth_blockNumber\",\"params\":[]}",
            Send(7, TestChain.Sign(1, to, 0, value: 1)),
            Send(8, TestChain.Sign(0, to, 2, value: 1)),
        });

        using var batched = new TestChain();
        var batch = Process(batched.Dispatcher, "[" + Entries() + "]");

        using var single = new TestChain();
        var expected = JsonDocument.Parse("[" + string.Join(',', SplitEntries(Entries()).Select(e => ProcessRaw(single.Dispatcher, e))) + "]").RootElement;

        Assert.Equal(expected.GetArrayLength(), batch.GetArrayLength());
        for (var i = 0; i < expected.GetArrayLength(); i++)
            Assert.Equal(expected[i].GetRawText(), batch[i].GetRawText());
        Assert.Equal(single.Chain.Head.Number, batched.Chain.Head.Number);
        Assert.Equal(4UL, batched.Chain.Head.Number); // four valid transfers, a block each
        Assert.True(batch[1].TryGetProperty("error", out _));
        Assert.True(batch[3].TryGetProperty("error", out _));
        Assert.True(batch[4].TryGetProperty("error", out _));
    }

    private static string Send(int id, string raw) =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"eth_sendRawTransaction\",\"params\":[\"{raw}\"]}}";

    private static IEnumerable<string> SplitEntries(string entries)
    {
        using var document = JsonDocument.Parse("[" + entries + "]");
        return document.RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList();
    }
}
