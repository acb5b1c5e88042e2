using System.Text;
using Thalamus.Core;
using Thalamus.Crypto;
using Xunit.Abstractions;

namespace Thalamus.Multicast.Tests;

/// <summary>
/// The seed's "16 × uint16 chain ids per storage slot", measured: a channel's list of subscriber chains kept as
/// uint64[] (one slot each) and packed (PackedChainIds), pushed, read whole (a publish's bookkeeping) and removed
/// from, with the gas of each and the slots used. The registry keeps neither list (docs/multicast.md, "Chain ids").
/// </summary>
public sealed class ChainIdLayoutTests(ITestOutputHelper output)
{
    private sealed record Figures(ulong Push, ulong ReadAll, ulong Remove, ulong Slots);

    [Fact]
    public async Task Packed_and_plain_chain_id_lists_hold_the_same_ids_and_their_gas_and_slots_are_measured()
    {
        await using var kit = new MulticastKit(chains: 2);
        var chain = kit[0];
        var layouts = kit.Deploy(chain, "ChainListLayouts");
        var table = new StringBuilder("| chains | layout | push all (gas) | read all (gas) | remove one (gas) | slots |\n|---:|---|---:|---:|---:|---:|\n");
        foreach (var chains in new[] { 4, 16, 64 })
        {
            var figures = new Dictionary<string, Figures>();
            foreach (var layout in new[] { "Plain", "Packed" })
            {
                var list = Keccak256.Compute(Encoding.ASCII.GetBytes($"{layout} {chains}"));
                ulong push = 0;
                for (var i = 0; i < chains; i++) push += Gas(kit, layouts, $"push{layout}(bytes32,uint64)", list, 1000UL + (ulong)i);
                var read = Gas(kit, layouts, $"readAll{layout}(bytes32)", list);
                var expectedSum = (ulong)Enumerable.Range(0, chains).Sum(i => 1000L + i);
                Assert.Equal(expectedSum, (ulong)kit.Word(chain, layouts, "lastSum()"));
                var slots = (ulong)kit.Word(chain, layouts, $"slots{layout}(bytes32)", list);
                // Remove the first chain: the last one takes its place.
                var remove = Gas(kit, layouts, $"remove{layout}(bytes32,uint256)", list, 0UL);
                figures[layout] = new Figures(push, read, remove, slots);
                table.Append($"| {chains} | {(layout == "Plain" ? "uint64[]" : "16 × uint16")} | {push} | {read} | {remove} | {slots} |\n");
            }
            // Both hold the same ids in the same order after the removal.
            var plain = List(kit, layouts, "plainList(bytes32)", Keccak256.Compute(Encoding.ASCII.GetBytes($"Plain {chains}")));
            var packed = List(kit, layouts, "packedList(bytes32)", Keccak256.Compute(Encoding.ASCII.GetBytes($"Packed {chains}")));
            Assert.Equal(plain, packed);
            Assert.Equal(chains - 1, plain.Count);
            Assert.Equal(1000UL + (ulong)chains - 1, plain[0]);
            // Packing stores one slot per 16 ids (+2 for the lengths) instead of one per id (+1).
            Assert.Equal((ulong)(2 + (chains + 15) / 16), figures["Packed"].Slots);
            Assert.Equal((ulong)(1 + chains), figures["Plain"].Slots);
        }
        // The registry as built: a subscription's chain id shares the slot of its target and selector.
        var channel = kit.CreateChannel(chain);
        var subscribe = kit.Subscribe(chain, channel, layouts, 0x01020304);
        Assert.True(subscribe.Success);
        table.Append($"\nregistry subscribe (chain id in the target's slot, nothing per chain): {subscribe.GasUsed} gas\n");
        output.WriteLine(table.ToString());
    }

    private static ulong Gas(MulticastKit kit, Address to, string signature, params AbiValue[] args)
    {
        var receipt = kit.Send(kit[0], 0, to, Abi.Call(signature, args), gas: 5_000_000);
        Assert.True(receipt.Success, signature);
        return receipt.GasUsed;
    }

    private static List<ulong> List(MulticastKit kit, Address to, string signature, Hash256 id)
    {
        var result = kit.Call(kit[0], to, Abi.Call(signature, id));
        Assert.True(result.Success, signature);
        var reader = new AbiReader(result.ReturnData);
        var offset = (int)reader.UInt64(0) / 32;
        var count = (int)reader.UInt64(offset);
        var ids = new List<ulong>(count);
        for (var i = 0; i < count; i++) ids.Add(new AbiReader(result.ReturnData).UInt64(offset + 1 + i));
        return ids;
    }
}
