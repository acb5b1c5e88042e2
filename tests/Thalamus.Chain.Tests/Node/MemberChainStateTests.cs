using Thalamus.Core;
using Xunit;
using static Thalamus.Chain.Tests.Node.ChainTestKit;

namespace Thalamus.Chain.Tests.Node;

public class MemberChainStateTests
{
    private static readonly TestAccount Alice = TestAccount.Alice;
    private static readonly TestAccount Bob = TestAccount.Bob;
    private static readonly Address Sink = Address.Parse("0x000000000000000000000000000000000000dead");

    private static Address Deploy(MemberChain chain, TestAccount from, byte[] runtime, ulong nonce)
    {
        var hash = chain.SendTransaction(from.Transfer(nonce, null, 0, gas: 200_000, data: Deployer(runtime)));
        var receipt = chain.GetReceipt(hash)!;
        Assert.True(receipt.Success);
        return receipt.ContractAddress!.Value;
    }

    [Fact]
    public void Deployed_contract_is_stored_called_and_read_at_any_block()
    {
        var chain = NewChain(out _);
        var runtime = StorageRuntime();
        var contract = Deploy(chain, Alice, runtime, 0);
        Assert.Equal(runtime, chain.GetCode(contract, BlockSelector.Latest));
        Assert.Empty(chain.GetCode(contract, BlockSelector.Earliest));

        var read = new CallRequest { To = contract };
        Assert.Equal(UInt256.Zero, UInt256.FromBigEndian(chain.Call(read, BlockSelector.Latest).ReturnData));

        var set = chain.SendTransaction(Alice.Transfer(1, contract, 0, gas: 100_000, data: StoreCall(42)));
        Assert.True(chain.GetReceipt(set)!.Success);
        var afterSet = chain.Head.Number;

        var result = chain.Call(read, BlockSelector.Latest);
        Assert.True(result.Success);
        Assert.Equal((UInt256)42UL, UInt256.FromBigEndian(result.ReturnData));
        Assert.Equal((UInt256)42UL, chain.GetStorageAt(contract, UInt256.Zero, BlockSelector.Latest));
        // History: the block before the store still reads zero (state reopened from the store by root).
        Assert.Equal(UInt256.Zero, UInt256.FromBigEndian(chain.Call(read, BlockSelector.FromNumber(afterSet - 1)).ReturnData));
        Assert.Equal(UInt256.Zero, chain.GetStorageAt(contract, UInt256.Zero, BlockSelector.FromNumber(afterSet - 1)));

        // A call changes nothing.
        chain.Call(new CallRequest { To = contract, Data = StoreCall(7) }, BlockSelector.Latest);
        Assert.Equal((UInt256)42UL, chain.GetStorageAt(contract, UInt256.Zero, BlockSelector.Latest));
    }

    [Fact]
    public void Call_reports_a_revert_with_its_reason_and_estimate_throws_it()
    {
        var chain = NewChain(out _);
        var contract = Deploy(chain, Alice, StorageRuntime(), 0);
        var failing = new CallRequest { From = Alice.Address, To = contract, Data = [0x01] };

        var result = chain.Call(failing, BlockSelector.Latest);
        Assert.False(result.Success);
        Assert.True(result.Reverted);
        Assert.Equal("nope", result.RevertReason);
        Assert.Equal(100, result.RevertData!.Length);
        Assert.Equal("execution reverted", result.Error);

        var error = Assert.Throws<ExecutionRevertedException>(() => chain.EstimateGas(failing, BlockSelector.Latest));
        Assert.Equal(3, error.Code);
        Assert.Equal("execution reverted: nope", error.Message);
        Assert.Equal(result.ReturnData, error.RevertData);
    }

    [Fact]
    public void Estimate_gas_is_enough_and_close_to_the_minimum()
    {
        var chain = NewChain(out _);
        Assert.Equal(21_000UL, chain.EstimateGas(new CallRequest { From = Alice.Address, To = Sink, Value = 1 }, BlockSelector.Latest));

        var contract = Deploy(chain, Alice, StorageRuntime(), 0);
        var store = new CallRequest { From = Alice.Address, To = contract, Data = StoreCall(99) };
        var estimate = chain.EstimateGas(store, BlockSelector.Latest);
        var used = chain.Call(store, BlockSelector.Latest).GasUsed;
        Assert.InRange(estimate, used, used + used * 2 / 100 + 2300);

        // Much less than the estimate fails for the real transaction; the estimate works.
        var tooLittle = chain.SendTransaction(Alice.Transfer(1, contract, 0, gas: used - 5_000, data: StoreCall(99)));
        Assert.False(chain.GetReceipt(tooLittle)!.Success);
        var ok = chain.SendTransaction(Alice.Transfer(2, contract, 0, gas: estimate, data: StoreCall(99)));
        Assert.True(chain.GetReceipt(ok)!.Success);
    }

    [Fact]
    public void Estimate_fails_clearly_when_no_gas_is_enough()
    {
        var chain = NewChain(out _);
        var contract = Deploy(chain, Alice, StorageRuntime(), 0);
        var error = Assert.Throws<ChainException>(() =>
            chain.EstimateGas(new CallRequest { From = Alice.Address, To = contract, Data = StoreCall(5), Gas = 22_000 }, BlockSelector.Latest));
        Assert.Equal("gas required exceeds allowance (22000)", error.Message);

        var poor = Address.Parse("0x0000000000000000000000000000000000000bad");
        var funds = Assert.Throws<ChainException>(() =>
            chain.Call(new CallRequest { From = poor, To = Sink, Value = 5 }, BlockSelector.Latest));
        Assert.StartsWith("insufficient funds", funds.Message);
        Assert.Throws<ChainException>(() => chain.Call(new CallRequest { To = Sink }, BlockSelector.FromNumber(99)));
    }

    [Fact]
    public void Token_transfers_emit_logs_found_by_filters()
    {
        var token = Address.Parse("0x00000000000000000000000000000000000070c0");
        var genesis = Genesis((token, new GenesisAccount
        {
            Code = TokenRuntime(),
            Storage = new Dictionary<UInt256, UInt256> { [BalanceSlot(Alice.Address)] = 1_000_000UL },
        }));
        var chain = NewChain(out _, genesis: genesis);

        var hash = chain.SendTransaction(Alice.Transfer(0, token, 0, gas: 100_000, data: TransferCall(Bob.Address, 250)));
        var receipt = chain.GetReceipt(hash)!;
        Assert.True(receipt.Success);
        var log = Assert.Single(receipt.Logs);
        Assert.Equal(token, log.Address);
        Assert.Equal(TransferTopic, log.Topics[0]);
        Assert.Equal(Alice.Address, Address.FromUInt256(log.Topics[1].ToUInt256()));
        Assert.Equal(Bob.Address, Address.FromUInt256(log.Topics[2].ToUInt256()));
        Assert.Equal((UInt256)250UL, UInt256.FromBigEndian(log.Data));
        Assert.Equal(0, log.LogIndex);

        var balance = chain.Call(new CallRequest { To = token, Data = BalanceOfCall(Bob.Address) }, BlockSelector.Latest);
        Assert.Equal((UInt256)250UL, UInt256.FromBigEndian(balance.ReturnData));

        // Overdraw reverts.
        var overdraw = chain.SendTransaction(Bob.Transfer(0, token, 0, gas: 100_000, data: TransferCall(Alice.Address, 251)));
        Assert.False(chain.GetReceipt(overdraw)!.Success);

        var toBob = new Hash256(new byte[12].Concat(Bob.Address.ToArray()).ToArray());
        var logs = chain.GetLogs(new LogFilter { FromBlock = 0, Topics = [new[] { TransferTopic }, null, new[] { toBob }] });
        Assert.Equal(hash, Assert.Single(logs).TransactionHash);
        Assert.Empty(chain.GetLogs(new LogFilter { FromBlock = 0, Addresses = [Sink] }));
        Assert.True(chain.GetBlock(BlockSelector.FromNumber(1))!.Header.LogsBloom.MightContain(token.Bytes));
    }

    [Fact]
    public void Snapshot_and_revert_restore_head_state_and_pool()
    {
        var chain = NewChain(out _);
        chain.SendTransaction(Alice.Transfer(0, Sink, 100));
        var id = chain.Snapshot();
        var headBefore = chain.Head;

        chain.SendTransaction(Alice.Transfer(1, Sink, 100));
        chain.SetAutomine(false);
        var pooled = chain.SendTransaction(Bob.Transfer(0, Sink, 5));
        var late = chain.Mine()[0];
        Assert.Equal((UInt256)205UL, chain.GetBalance(Sink, BlockSelector.Latest));

        Assert.True(chain.Revert(id));
        Assert.Equal(headBefore.Hash, chain.Head.Hash);
        Assert.Equal((UInt256)100UL, chain.GetBalance(Sink, BlockSelector.Latest));
        Assert.Null(chain.GetBlock(late.Hash));
        Assert.Null(chain.GetBlock(BlockSelector.FromNumber(headBefore.Number + 1)));
        Assert.Null(chain.GetReceipt(pooled));
        Assert.Null(chain.GetTransaction(pooled));
        Assert.Equal(1UL, chain.GetTransactionCount(Alice.Address, BlockSelector.Pending));
        Assert.False(chain.Revert(id)); // used up

        // The chain goes on from the restored head, with the same state root it had.
        var next = chain.SendTransaction(Alice.Transfer(1, Sink, 1));
        chain.Mine();
        Assert.Equal(headBefore.Number + 1, chain.GetReceipt(next)!.BlockNumber);
        Assert.Equal((UInt256)101UL, chain.GetBalance(Sink, BlockSelector.Latest));
    }

    [Fact]
    public void Snapshot_keeps_pooled_transactions()
    {
        var chain = NewChain(out _);
        chain.SetAutomine(false);
        var pooled = chain.SendTransaction(Alice.Transfer(0, Sink, 1));
        var id = chain.Snapshot();
        chain.Mine();
        Assert.NotNull(chain.GetReceipt(pooled));
        Assert.True(chain.Revert(id));
        Assert.Null(chain.GetReceipt(pooled));
        Assert.NotNull(chain.GetTransaction(pooled));
        Assert.Single(chain.Mine()[0].Transactions);
    }

    [Fact]
    public void Reopening_a_store_resumes_at_the_same_head_and_state()
    {
        var store = new MemoryChainStore();
        var chain = NewChain(out _, store: store);
        var contract = Deploy(chain, Alice, StorageRuntime(), 0);
        chain.SendTransaction(Alice.Transfer(1, contract, 0, gas: 100_000, data: StoreCall(77)));
        var head = chain.Head;

        var reopened = NewChain(out _, store: store);
        Assert.Equal(head.Hash, reopened.Head.Hash);
        Assert.Equal(head.StateRoot, reopened.Head.StateRoot);
        Assert.Equal((UInt256)77UL, reopened.GetStorageAt(contract, UInt256.Zero, BlockSelector.Latest));
        Assert.Equal(2UL, reopened.GetTransactionCount(Alice.Address, BlockSelector.Latest));

        // And keeps building on it.
        reopened.SendTransaction(Alice.Transfer(2, Sink, 1));
        Assert.Equal(head.Number + 1, reopened.Head.Number);
        Assert.Equal(head.Hash, reopened.Head.ParentHash);
    }

    [Fact]
    public void Fee_queries_follow_the_chain()
    {
        var chain = NewChain(out _);
        chain.SendTransaction(Alice.Transfer(0, Sink, 1));
        chain.SendTransaction(Alice.Transfer(1, Sink, 1, tip: Gwei(3)));
        var next = chain.NextBaseFee();
        Assert.Equal(next + Gwei(1), chain.GasPrice());
        Assert.Equal(Gwei(1), chain.MaxPriorityFeePerGas());

        var history = chain.GetFeeHistory(2, BlockSelector.Latest, [50]);
        Assert.Equal(1UL, history.OldestBlock);
        Assert.Equal(3, history.BaseFeePerGas.Count);
        Assert.Equal(next, history.BaseFeePerGas[^1]);
        Assert.Equal(21_000.0 / 30_000_000, history.GasUsedRatio[0], 9);
        Assert.Equal(Gwei(1), history.Reward![0][0]);
        Assert.Equal(Gwei(3), history.Reward[1][0]);
        Assert.Throws<ChainException>(() => chain.GetFeeHistory(1, BlockSelector.Latest, [60, 50]));
    }
}
