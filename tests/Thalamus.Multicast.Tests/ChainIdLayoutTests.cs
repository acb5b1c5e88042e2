using System.Text;
using Thalamus.Core;
using Thalamus.Crypto;
using Xunit.Abstractions;

namespace Thalamus.Multicast.Tests;

/// <summary>
/// The seed's "16 × uint16 chain ids per storage slot", measured: a channel's list of subscriber chains kept as
/// uint256[] (one a slot), uint64[] (four a slot) and packed (PackedChainIds, sixteen a slot), pushed, read whole (a publish's bookkeeping) and removed
/// from, with the gas of each and the slots used. The registry keeps neither list (docs/multicast.md, "Chain ids").
/// </summary>
public sealed class ChainIdLayoutTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> Names = new() { ["Word"] = "uint256[]", ["U64"] = "uint64[] (4 a slot)", ["Packed"] = "16 × uint16" };

    private sealed record Figures(ulong Push, ulong ReadAll, ulong Remove, ulong Slots);

    [Fact]
    public async Task Chain_id_lists_kept_one_four_or_sixteen_a_slot_hold_the_same_ids_and_their_gas_is_measured()
    {
        await using var kit = new MulticastKit(chains: 2);
        var chain = kit[0];
        var layouts = kit.Deploy(chain, "ChainListLayouts");
        var table = new StringBuilder("| chains | layout | push all (gas) | read all (gas) | remove one (gas) | slots |\n|---:|---|---:|---:|---:|---:|\n");
        foreach (var chains in new[] { 4, 16, 64 })
        {
            var figures = new Dictionary<string, Figures>();
            foreach (var layout in new[] { "Word", "U64", "Packed" })
            {
                var list = Keccak256.Compute(Encoding.ASCII.GetBytes($"{layout} {chains}"));
                var pushes = new List<ulong>();
                for (var i = 0; i < chains; i++) pushes.Add(Gas(kit, layouts, $"push{layout}(bytes32,uint64)", list, 1000UL + (ulong)i).GasUsed);
                var push = pushes.Aggregate(0UL, (a, b) => a + b);
                var reading = Gas(kit, layouts, $"readAll{layout}(bytes32)", list);
                var read = reading.GasUsed;
                var expectedSum = (ulong)Enumerable.Range(0, chains).Sum(i => 1000L + i);
                Assert.Equal(expectedSum, (ulong)UInt256.FromBigEndian(reading.Logs.Single().Data));
                var slots = (ulong)kit.Word(chain, layouts, $"slots{layout}(bytes32)", list);
                // Remove the first chain: the last one takes its place.
                var remove = Gas(kit, layouts, $"remove{layout}(bytes32,uint256)", list, 0UL).GasUsed;
                figures[layout] = new Figures(push, read, remove, slots);
                table.Append($"| {chains} | {Names[layout]} | {push} | {read} | {remove} | {slots} |\n");
            }
            // All hold the same ids in the same order after the removal.
            var word = List(kit, layouts, "listWord(bytes32)", Keccak256.Compute(Encoding.ASCII.GetBytes($"Word {chains}")));
            Assert.Equal(word, List(kit, layouts, "listU64(bytes32)", Keccak256.Compute(Encoding.ASCII.GetBytes($"U64 {chains}"))));
            Assert.Equal(word, List(kit, layouts, "listPacked(bytes32)", Keccak256.Compute(Encoding.ASCII.GetBytes($"Packed {chains}"))));
            Assert.Equal(chains - 1, word.Count);
            Assert.Equal(1000UL + (ulong)chains - 1, word[0]);
            // Packing 16 a slot reads fewer slots than one a slot once the list spans several of its words.
            if (chains >= 16) Assert.True(figures["Packed"].ReadAll < figures["Word"].ReadAll, $"{chains} chains: packed read {figures["Packed"].ReadAll}, word read {figures["Word"].ReadAll}");
        }
        // The registry as built: a subscription's chain id shares the slot of its target and selector.
        var channel = kit.CreateChannel(chain);
        var subscribe = kit.Subscribe(chain, channel, layouts, 0x01020304);
        Assert.True(subscribe.Success);
        table.Append($"\nregistry subscribe (chain id in the target's slot, nothing per chain): {subscribe.GasUsed} gas\n");
        output.WriteLine(table.ToString());
    }

    private static Thalamus.Chain.TransactionReceipt Gas(MulticastKit kit, Address to, string signature, params AbiValue[] args)
    {
        var receipt = kit.Send(kit[0], 0, to, Abi.Call(signature, args), gas: 5_000_000);
        Assert.True(receipt.Success, signature);
        return receipt;
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
