using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Chain.Tracing;
using Thalamus.Core;
using Thalamus.Evm;

namespace Thalamus.Cluster.Tests;

public sealed class TracingTests
{
    [Fact]
    public async Task The_call_tree_of_a_transaction_that_called_another_chain_names_the_destination_chain_and_its_call()
    {
        await using var kit = new ClusterTestKit();
        var (a, b) = (kit[0], kit[1]);
        var counter = kit.Deploy(b, "RemoteCounter");
        var caller = kit.Deploy(a, "SyncCaller");
        var data = Abi.Call("incrementRemote(uint256,address,uint256)", b.ChainId, counter, new UInt256(5));
        var receipt = kit.Send(a, 1, caller, data);
        Assert.True(receipt.Success);

        var tracer = new CallTracer();
        Assert.True(a.TraceTransaction(receipt.TransactionHash, tracer));
        var root = tracer.Root!;
        Assert.Equal((long)receipt.GasUsed, root.GasUsed);
        Assert.Null(root.Error);
        var cross = Assert.Single(root.Calls, c => c.To == CrossChainCall.Address);
        Assert.Equal(caller, cross.From);
        Assert.Null(cross.Error);
        var remote = Assert.Single(cross.Calls);
        Assert.Equal(b.ChainId, remote.ChainId);
        Assert.Equal(counter, remote.To);
        Assert.Equal(caller, remote.From);
        Assert.Equal(Abi.Selector("increment(uint256)").ToArray(), remote.Input.AsSpan(0, 4).ToArray());
        Assert.True(remote.GasUsed > 0 && remote.GasUsed + CrossChainCall.BaseGas == cross.GasUsed);

        // The JSON carries the destination chain on the remote call.
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) tracer.WriteResult(writer);
        using var json = JsonDocument.Parse(buffer.ToArray());
        var calls = json.RootElement.GetProperty("calls").EnumerateArray().Single(c => c.GetProperty("to").GetString() == CrossChainCall.Address.ToString());
        Assert.Equal("0x" + b.ChainId.ToString("x"), calls.GetProperty("calls")[0].GetProperty("chainId").GetString());

        // Re-execution uses the results the block recorded: no other chain changes.
        var bHead = b.Head;
        var prestate = new PrestateTracer(diffMode: true);
        Assert.True(a.TraceTransaction(receipt.TransactionHash, prestate));
        Assert.Equal(bHead, b.Head);
    }

    [Fact]
    public async Task A_traced_eth_call_across_chains_shows_the_remote_read()
    {
        await using var kit = new ClusterTestKit();
        var (a, b) = (kit[0], kit[1]);
        var counter = kit.Deploy(b, "RemoteCounter");
        var caller = kit.Deploy(a, "SyncCaller");
        kit.Send(a, 1, caller, Abi.Call("incrementRemote(uint256,address,uint256)", b.ChainId, counter, new UInt256(3)));

        var tracer = new CallTracer();
        a.TraceCall(new CallRequest { To = caller, Data = Abi.Call("readRemote(uint256,address)", b.ChainId, counter) },
            BlockSelector.Latest, tracer);
        var remote = tracer.Root!.Calls.Single(c => c.To == CrossChainCall.Address).Calls.Single();
        Assert.Equal(b.ChainId, remote.ChainId);
        Assert.Equal(new UInt256(3), UInt256.FromBigEndian(remote.Output.AsSpan(0, 32)));
    }
}
