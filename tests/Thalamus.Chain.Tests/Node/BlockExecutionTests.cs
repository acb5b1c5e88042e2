using Thalamus.Core;
using Thalamus.State;
using Xunit;
using static Thalamus.Chain.Tests.Node.ChainTestKit;

namespace Thalamus.Chain.Tests.Node;

/// <summary>
/// <see cref="BlockExecution"/> is the one executor the block builder and every verifier share: a block the
/// chain sealed re-executes on a fresh state to the same header, and a header that lies is caught with the reason.
/// </summary>
public class BlockExecutionTests
{
    private static readonly TestAccount Alice = TestAccount.Alice;
    private static readonly TestAccount Bob = TestAccount.Bob;
    private static readonly Address Token = Address.Parse("0x00000000000000000000000000000000000070ce");

    private static GenesisConfig TokenGenesis() => Genesis((Token, new GenesisAccount
    {
        Code = TokenRuntime(),
        Storage = new Dictionary<UInt256, UInt256> { [BalanceSlot(Alice.Address)] = Ether(1) },
    }));

    /// <summary>A chain that sealed token transfers (with logs), a plain transfer and a failing call, one block each.</summary>
    private static MemberChain BusyChain()
    {
        var chain = NewChain(out _, genesis: TokenGenesis());
        chain.SendRawTransaction(Alice.Transfer(0, Token, 0, gas: 100_000, data: TransferCall(Bob.Address, 5)).Encode());
        chain.SendRawTransaction(Bob.Transfer(0, Alice.Address, Gwei(3)).Encode());
        chain.SendRawTransaction(Alice.Transfer(1, Token, 0, gas: 100_000, data: TransferCall(Bob.Address, Ether(2))).Encode()); // reverts: short
        chain.SendRawTransaction(Alice.Transfer(2, Token, 0, gas: 100_000, data: TransferCall(Bob.Address, 7)).Encode());
        return chain;
    }

    /// <summary>Re-executes block <paramref name="number"/> of <paramref name="chain"/> on <paramref name="state"/> (its parent's state).</summary>
    private static ExecutedBlock Replay(MemberChain chain, WorldState state, ulong number)
    {
        var block = chain.GetBlock(BlockSelector.FromNumber(number))!;
        var parent = chain.GetBlock(BlockSelector.FromNumber(number - 1))!.Header;
        var context = new BlockBuilder(chain.Profile).CreateContext(parent, block.Header.Timestamp, n => chain.Store.GetHeader(n)?.Hash ?? Hash256.Zero);
        var execution = new BlockExecution(new TransactionProcessor(), state, context);
        foreach (var tx in block.Transactions) Assert.True(execution.Apply(tx, tx.RecoverSender()).IsValid);
        return execution.Finish();
    }

    [Fact]
    public void Every_block_the_chain_sealed_re_executes_on_a_fresh_state_to_the_same_header_and_receipts()
    {
        var chain = BusyChain();
        Assert.Equal(4UL, chain.Head.Number);
        var state = new WorldState(new MemoryKeyValueStore());
        BlockBuilder.BuildGenesis(TokenGenesis(), state);

        for (ulong number = 1; number <= chain.Head.Number; number++)
        {
            var stored = chain.GetBlock(BlockSelector.FromNumber(number))!;
            var parent = chain.GetBlock(BlockSelector.FromNumber(number - 1))!.Header;
            var executed = Replay(chain, state, number);

            Assert.Empty(executed.Differences(stored.Header));
            Assert.Equal(stored.Hash, executed.CreateHeader(parent, chain.Profile.BlockGasLimit, stored.Header.ExtraData).Hash);
            var receipts = executed.CreateReceipts(stored);
            var storedReceipts = chain.GetBlockReceipts(BlockSelector.FromNumber(number))!;
            Assert.Equal(storedReceipts.Select(r => (r.TransactionHash, r.From, r.GasUsed, r.EffectiveGasPrice, r.Success, r.Logs.Count)),
                receipts.Select(r => (r.TransactionHash, r.From, r.GasUsed, r.EffectiveGasPrice, r.Success, r.Logs.Count)));
        }
        // The token transfers logged, the short one reverted: the bloom and the statuses were really exercised.
        Assert.False(chain.GetBlock(BlockSelector.FromNumber(1))!.Header.LogsBloom.IsEmpty);
        Assert.False(chain.GetBlockReceipts(BlockSelector.FromNumber(3))![0].Success);
    }

    [Fact]
    public void A_header_whose_commitments_differ_from_the_execution_is_reported_with_each_difference()
    {
        var chain = BusyChain();
        var state = new WorldState(new MemoryKeyValueStore());
        BlockBuilder.BuildGenesis(TokenGenesis(), state);
        var stored = chain.GetBlock(BlockSelector.FromNumber(1))!.Header;
        var executed = Replay(chain, state, 1);

        var lying = new BlockHeader
        {
            ParentHash = stored.ParentHash, Coinbase = stored.Coinbase, StateRoot = Hash256.Zero, TransactionsRoot = stored.TransactionsRoot,
            ReceiptsRoot = stored.ReceiptsRoot, LogsBloom = new Bloom(), Number = stored.Number, GasLimit = stored.GasLimit,
            GasUsed = stored.GasUsed + 1, Timestamp = stored.Timestamp, ExtraData = stored.ExtraData, PrevRandao = stored.PrevRandao,
            BaseFeePerGas = stored.BaseFeePerGas, BlobGasUsed = stored.BlobGasUsed, ExcessBlobGas = stored.ExcessBlobGas,
            ParentBeaconBlockRoot = stored.ParentBeaconBlockRoot,
        };
        var differences = executed.Differences(lying);

        Assert.Equal(3, differences.Count);
        Assert.Contains(differences, d => d.StartsWith($"state root {Hash256.Zero} differs from the replayed {stored.StateRoot}", StringComparison.Ordinal));
        Assert.Contains(differences, d => d == $"gas used {stored.GasUsed + 1} differs from the replayed {stored.GasUsed}");
        Assert.Contains("the logs bloom differs from the replayed one", differences);
    }

    [Fact]
    public void An_invalid_transaction_is_not_included_and_changes_nothing()
    {
        var chain = NewChain(out _);
        var state = new WorldState(new MemoryKeyValueStore());
        BlockBuilder.BuildGenesis(Genesis(), state);
        var execution = new BlockExecution(new TransactionProcessor(), state, new BlockBuilder(chain.Profile).CreateContext(chain.Head, chain.Head.Timestamp + 1));

        var result = execution.Apply(Alice.Transfer(5, Bob.Address, 1), Alice.Address);

        Assert.False(result.IsValid);
        Assert.StartsWith("nonce too high", result.Error);
        Assert.Equal(0, execution.Count);
        Assert.Equal(0UL, execution.GasUsed);
        var executed = execution.Finish();
        Assert.Equal(chain.Head.StateRoot, executed.StateRoot);
        Assert.Empty(executed.Transactions);
        Assert.True(executed.Bloom.IsEmpty);
        Assert.Throws<InvalidOperationException>(() => execution.Apply(Alice.Transfer(0, Bob.Address, 1), Alice.Address));
    }
}
