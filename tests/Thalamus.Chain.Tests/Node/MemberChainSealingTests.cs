using Thalamus.Core;
using Thalamus.State;
using Xunit;
using static Thalamus.Chain.Tests.Node.ChainTestKit;

namespace Thalamus.Chain.Tests.Node;

public class MemberChainSealingTests
{
    private static readonly TestAccount Alice = TestAccount.Alice;
    private static readonly TestAccount Bob = TestAccount.Bob;
    private static readonly Address Sink = Address.Parse("0x000000000000000000000000000000000000dead");

    [Fact]
    public void Genesis_holds_the_allocations_and_its_state_root()
    {
        var chain = NewChain(out _);
        var genesis = chain.Head;
        Assert.Equal(0UL, genesis.Number);
        Assert.Equal(Hash256.Zero, genesis.ParentHash);
        Assert.Equal(Gwei(1), genesis.BaseFeePerGas);

        var expected = new WorldState();
        expected.SetBalance(Alice.Address, Ether(1000));
        expected.SetBalance(Bob.Address, Ether(1000));
        Assert.Equal(expected.ComputeStateRoot(), genesis.StateRoot);
        Assert.Equal(Ether(1000), chain.GetBalance(Alice.Address, BlockSelector.Latest));

        // Same config, same genesis hash.
        Assert.Equal(genesis.Hash, NewChain(out _).Head.Hash);
    }

    [Fact]
    public void Automine_seals_one_block_per_transaction_with_a_receipt()
    {
        var chain = NewChain(out _);
        var sealedBlocks = new List<Block>();
        var pending = new List<Hash256>();
        chain.BlockSealed += (block, _) => sealedBlocks.Add(block);
        chain.PendingTransactionAdded += pending.Add;

        var hash = chain.SendRawTransaction(Alice.Transfer(0, Sink, 1234).Encode());
        var hash2 = chain.SendRawTransaction(Alice.Transfer(1, Sink, 1).Encode());

        Assert.Equal(2UL, chain.Head.Number);
        Assert.Equal([hash, hash2], pending);
        Assert.Equal(2, sealedBlocks.Count);
        Assert.Equal(hash, Assert.Single(sealedBlocks[0].Transactions).Hash);

        var receipt = chain.GetReceipt(hash)!;
        Assert.True(receipt.Success);
        Assert.Equal(1UL, receipt.BlockNumber);
        Assert.Equal(sealedBlocks[0].Hash, receipt.BlockHash);
        Assert.Equal(21_000UL, receipt.GasUsed);
        Assert.Equal(Alice.Address, receipt.From);
        Assert.Equal((UInt256)1234UL, chain.GetBalance(Sink, BlockSelector.FromNumber(1)));
        Assert.Equal((UInt256)1235UL, chain.GetBalance(Sink, BlockSelector.Latest));

        // The header commits to what happened.
        var header = sealedBlocks[0].Header;
        Assert.Equal(DerivableRoots.Transactions(sealedBlocks[0].Transactions), header.TransactionsRoot);
        Assert.Equal(DerivableRoots.Receipts([receipt.Receipt]), header.ReceiptsRoot);
        Assert.Equal(21_000UL, header.GasUsed);
        Assert.Equal(BaseFeeCalculator.Next(Gwei(1), 0, 30_000_000), header.BaseFeePerGas);
        Assert.Equal(chain.GetBlock(BlockSelector.FromNumber(0))!.Hash, header.ParentHash);
        // Effective price: base fee + the 1 gwei tip, within the 10 gwei cap.
        Assert.Equal(header.BaseFeePerGas + Gwei(1), receipt.EffectiveGasPrice);
        Assert.Equal(2UL, chain.GetTransactionCount(Alice.Address, BlockSelector.Latest));
    }

    [Fact]
    public void Automine_refuses_a_nonce_gap()
    {
        var chain = NewChain(out _);
        var error = Assert.Throws<TxPoolException>(() => chain.SendRawTransaction(Alice.Transfer(1, Sink, 1).Encode()));
        Assert.Equal($"nonce too high: address {Alice.Address}, tx: 1 state: 0", error.Message);
        Assert.Equal(0UL, chain.Head.Number);
    }

    [Fact]
    public void Interval_mining_seals_when_the_clock_reaches_the_block_time()
    {
        var chain = NewChain(out var clock, new ChainProfile { ChainId = ChainId, BlockTime = TimeSpan.FromSeconds(2) });
        Assert.False(chain.Automine);

        chain.SendRawTransaction(Alice.Transfer(0, Sink, 1).Encode());
        chain.SendRawTransaction(Alice.Transfer(2, Sink, 1).Encode()); // a gap is queued, not refused
        chain.SendRawTransaction(Bob.Transfer(0, Sink, 1).Encode());
        Assert.Null(chain.Tick());
        Assert.Equal(0UL, chain.Head.Number);
        // Pending counts the executable pooled nonces (0), not the queued one (2).
        Assert.Equal(1UL, chain.GetTransactionCount(Alice.Address, BlockSelector.Pending));
        Assert.Equal(0UL, chain.GetTransactionCount(Alice.Address, BlockSelector.Latest));

        clock.Advance(TimeSpan.FromSeconds(2));
        var block = chain.Tick();
        Assert.NotNull(block);
        Assert.Equal(1UL, block.Number);
        Assert.Equal(2, block.Transactions.Count);
        Assert.Equal((ulong)clock.UtcNow.ToUnixTimeSeconds(), block.Header.Timestamp);
        Assert.Null(chain.Tick());

        // The queued transaction runs once its gap is filled.
        chain.SendRawTransaction(Alice.Transfer(1, Sink, 1).Encode());
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, chain.Tick()!.Transactions.Count);
        Assert.Equal(3UL, chain.GetTransactionCount(Alice.Address, BlockSelector.Latest));

        // An interval block is sealed even when nothing is pending.
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Empty(chain.Tick()!.Transactions);
    }

    [Fact]
    public void Sealing_mode_switches_at_run_time()
    {
        var chain = NewChain(out var clock);
        Assert.True(chain.Automine);
        chain.SetAutomine(false);
        chain.SendRawTransaction(Alice.Transfer(0, Sink, 1).Encode());
        Assert.Equal(0UL, chain.Head.Number);

        chain.SetIntervalMining(TimeSpan.FromSeconds(5));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Single(chain.Tick()!.Transactions);

        chain.SetIntervalMining(TimeSpan.Zero);
        clock.Advance(TimeSpan.FromSeconds(50));
        Assert.Null(chain.Tick());

        chain.SendRawTransaction(Alice.Transfer(1, Sink, 1).Encode());
        Assert.Equal(1UL, chain.Head.Number);
        chain.SetAutomine(true); // turning automine on seals what is pending
        Assert.Equal(2UL, chain.Head.Number);
    }

    [Fact]
    public void Mine_seals_blocks_on_demand_with_the_requested_timestamp()
    {
        var chain = NewChain(out var clock);
        chain.SetAutomine(false);
        chain.SendRawTransaction(Alice.Transfer(0, Sink, 1).Encode());
        var start = (ulong)clock.UtcNow.ToUnixTimeSeconds();

        var blocks = chain.Mine(3, start + 100);
        Assert.Equal(3, blocks.Count);
        Assert.Single(blocks[0].Transactions);
        Assert.Equal(start + 100, blocks[0].Header.Timestamp);
        Assert.True(blocks[1].Header.Timestamp > blocks[0].Header.Timestamp);
        Assert.True(blocks[2].Header.Timestamp > blocks[1].Header.Timestamp);

        var error = Assert.Throws<ChainException>(() => chain.Mine(1, 5));
        Assert.Equal(ChainException.InvalidParamsCode, error.Code);
    }

    [Fact]
    public void Time_travel_moves_block_timestamps()
    {
        var chain = NewChain(out var clock);
        var now = (ulong)clock.UtcNow.ToUnixTimeSeconds();
        Assert.Equal(3600UL, chain.IncreaseTime(3600));
        Assert.Equal(now + 3600, chain.Mine()[0].Header.Timestamp);

        chain.SetNextBlockTimestamp(now + 10_000);
        Assert.Equal(now + 10_000, chain.Mine()[0].Header.Timestamp);
        // Time goes on from the forced timestamp.
        clock.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(now + 10_007, chain.Mine()[0].Header.Timestamp);
        Assert.Throws<ChainException>(() => chain.SetNextBlockTimestamp(now));
    }

    [Fact]
    public void Base_fee_follows_block_fullness()
    {
        var profile = new ChainProfile { ChainId = ChainId, BlockGasLimit = 40_000 };
        var chain = NewChain(out _, profile);
        chain.SetAutomine(false);
        chain.SendRawTransaction(Alice.Transfer(0, Sink, 1).Encode());
        chain.SendRawTransaction(Alice.Transfer(1, Sink, 1).Encode());
        var first = chain.Mine()[0];
        // Two transfers (42,000 gas) do not fit in 40,000: one per block.
        Assert.Single(first.Transactions);
        Assert.Equal(40_000UL, first.Header.GasLimit);
        var second = chain.Mine()[0];
        Assert.Single(second.Transactions);
        // 21,000 is above the 20,000 target: the base fee rises.
        Assert.Equal(BaseFeeCalculator.Next(first.Header.BaseFeePerGas, 21_000, 40_000), second.Header.BaseFeePerGas);
        Assert.True(second.Header.BaseFeePerGas > first.Header.BaseFeePerGas);
        var third = chain.Mine()[0];
        Assert.True(third.Header.BaseFeePerGas > second.Header.BaseFeePerGas);
        Assert.True(chain.Mine()[0].Header.BaseFeePerGas < third.Header.BaseFeePerGas); // third was empty
    }

    [Fact]
    public void A_fee_cap_below_the_base_fee_waits_until_the_base_fee_drops()
    {
        var chain = NewChain(out _);
        chain.SetAutomine(false);
        // Block 1's base fee is 0.875 gwei; this transaction pays at most 0.8 gwei.
        var hash = chain.SendRawTransaction(Alice.Transfer(0, Sink, 1, maxFee: 800_000_000UL, tip: 1UL).Encode());
        var first = chain.Mine()[0];
        Assert.Empty(first.Transactions);
        Assert.NotNull(chain.GetTransaction(hash));
        Assert.Null(chain.GetTransaction(hash)!.Value.location);
        // Empty blocks lower the base fee by 12.5% each: 0.766 gwei in block 2.
        var second = chain.Mine()[0];
        Assert.Single(second.Transactions);
        Assert.NotNull(chain.GetReceipt(hash));
    }

    [Fact]
    public void Batch_submission_recovers_in_parallel_and_reports_each_outcome()
    {
        var chain = NewChain(out _);
        chain.SetAutomine(false);
        var raws = new List<byte[]>();
        for (ulong i = 0; i < 50; i++) raws.Add(Alice.Transfer(i, Sink, 1).Encode());
        raws.Add([0x02, 0xc0]);                                   // malformed
        raws.Add(Alice.Transfer(0, Sink, 1).Encode());            // duplicate
        var results = chain.SendRawTransactions(raws);
        Assert.All(results.Take(50), r => Assert.True(r.Accepted));
        Assert.IsAssignableFrom<InvalidTransactionException>(results[50].Error);
        Assert.Equal("already known", results[51].Error!.Message);

        var block = chain.Mine()[0];
        Assert.Equal(50, block.Transactions.Count);
        Assert.Equal(50UL, chain.GetTransactionCount(Alice.Address, BlockSelector.Latest));
    }

    [Fact]
    public void Unrecoverable_signature_is_an_invalid_sender()
    {
        var chain = NewChain(out _);
        var unsigned = new Transaction
        {
            Type = TxType.DynamicFee, ChainId = ChainId, Nonce = 0, MaxFeePerGas = Gwei(10), MaxPriorityFeePerGas = Gwei(1),
            GasLimit = 21_000, To = Sink, Value = 1,
        };
        var error = Assert.Throws<TxPoolException>(() => chain.SendRawTransaction(unsigned.Encode()));
        Assert.Equal(TxPoolError.InvalidSignature, error.Error);
        Assert.StartsWith("invalid sender", error.Message);
    }

    [Fact]
    public void Malformed_bytes_are_a_decoding_error()
    {
        var chain = NewChain(out _);
        Assert.Throws<TransactionDecodingException>(() => chain.SendRawTransaction([0x02, 0x01, 0x02]));
        Assert.Throws<TransactionDecodingException>(() => chain.SendRawTransaction([]));
    }
}
