using Thalamus.Chain.Tests.Node;
using Thalamus.Core;
using Thalamus.State;
using Xunit;
using static Thalamus.Chain.Tests.Node.ChainTestKit;

namespace Thalamus.Chain.Tests.Pool;

public class TxPoolTests
{
    private static readonly TestAccount Alice = TestAccount.Alice;
    private static readonly TestAccount Bob = TestAccount.Bob;
    private static readonly TestAccount Carol = TestAccount.Carol;
    private static readonly Address Sink = Address.Parse("0x000000000000000000000000000000000000dead");

    private readonly WorldState _state = new();

    public TxPoolTests()
    {
        _state.SetBalance(Alice.Address, Ether(100));
        _state.SetBalance(Bob.Address, Ether(100));
        _state.SetBalance(Carol.Address, Ether(100));
    }

    private TxPool NewPool(ChainProfile? profile = null) => new(profile ?? new ChainProfile { ChainId = ChainId }, () => _state);

    private static PooledTransaction Add(TxPool pool, Transaction tx) => pool.Add(tx, tx.RecoverSender());

    [Fact]
    public void Contiguous_nonces_are_pending_and_a_gap_is_queued_until_filled()
    {
        var pool = NewPool();
        Add(pool, Alice.Transfer(0, Sink, 1));
        var gapped = Add(pool, Alice.Transfer(2, Sink, 1));
        Assert.Equal(1, pool.PendingCount);
        Assert.Equal(1, pool.QueuedCount);
        Assert.False(pool.IsPending(gapped));
        Assert.Equal(1UL, pool.GetPendingNonce(Alice.Address));

        Add(pool, Alice.Transfer(1, Sink, 1));
        Assert.Equal(3, pool.PendingCount);
        Assert.True(pool.IsPending(gapped));
        Assert.Equal(3UL, pool.GetPendingNonce(Alice.Address));
    }

    [Fact]
    public void Block_order_is_by_tip_across_senders_and_by_nonce_within_a_sender()
    {
        var pool = NewPool();
        // Alice: nonce 0 cheap, nonce 1 expensive; Bob: one middle-priced transaction.
        var a0 = Add(pool, Alice.Transfer(0, Sink, 1, tip: Gwei(1)));
        var a1 = Add(pool, Alice.Transfer(1, Sink, 1, tip: Gwei(5)));
        var b0 = Add(pool, Bob.Transfer(0, Sink, 1, tip: Gwei(3)));

        var order = Drain(pool.GetPendingIterator(Gwei(1)));
        // Bob's 3 gwei tip beats Alice's first (1 gwei); Alice's nonce 1 cannot jump ahead of her nonce 0.
        Assert.Equal([b0.Hash, a0.Hash, a1.Hash], order);
    }

    [Fact]
    public void Fee_cap_below_the_base_fee_waits_in_the_pool()
    {
        var pool = NewPool();
        var low = Add(pool, Alice.Transfer(0, Sink, 1, maxFee: Gwei(2), tip: Gwei(1)));
        Assert.True(pool.IsPending(low));
        Assert.Empty(Drain(pool.GetPendingIterator(Gwei(3))));
        Assert.Equal([low.Hash], Drain(pool.GetPendingIterator(Gwei(2))));
    }

    [Fact]
    public void Replacement_needs_a_ten_percent_bump_of_both_caps()
    {
        var pool = NewPool();
        var original = Add(pool, Alice.Transfer(0, Sink, 1, maxFee: Gwei(100), tip: Gwei(10)));

        var tooCheap = Alice.Transfer(0, Sink, 2, maxFee: Gwei(109), tip: Gwei(11));
        var error = Assert.Throws<TxPoolException>(() => Add(pool, tooCheap));
        Assert.Equal("replacement transaction underpriced", error.Message);
        Assert.Equal(TxPoolError.ReplacementUnderpriced, error.Error);
        Assert.Equal(ChainException.ServerErrorCode, error.Code);

        var tipTooLow = Alice.Transfer(0, Sink, 2, maxFee: Gwei(200), tip: Gwei(10));
        Assert.Throws<TxPoolException>(() => Add(pool, tipTooLow));

        var enough = Add(pool, Alice.Transfer(0, Sink, 3, maxFee: Gwei(110), tip: Gwei(11)));
        Assert.Equal(1, pool.Count);
        Assert.False(pool.Contains(original.Hash));
        Assert.True(pool.Contains(enough.Hash));
    }

    [Fact]
    public void Full_pool_evicts_the_cheapest_farthest_or_refuses_a_cheaper_newcomer()
    {
        var pool = NewPool(new ChainProfile { ChainId = ChainId, MaxPoolTransactions = 3 });
        var cheap = Add(pool, Alice.Transfer(0, Sink, 1, maxFee: Gwei(5), tip: Gwei(1)));
        Add(pool, Bob.Transfer(0, Sink, 1, maxFee: Gwei(20), tip: Gwei(1)));
        Add(pool, Bob.Transfer(1, Sink, 1, maxFee: Gwei(30), tip: Gwei(1)));

        var underpriced = Assert.Throws<TxPoolException>(() => Add(pool, Carol.Transfer(0, Sink, 1, maxFee: Gwei(4), tip: Gwei(1))));
        Assert.Equal("transaction underpriced", underpriced.Message);

        var rich = Add(pool, Carol.Transfer(0, Sink, 1, maxFee: Gwei(50), tip: Gwei(1)));
        Assert.Equal(3, pool.Count);
        Assert.False(pool.Contains(cheap.Hash));
        Assert.True(pool.Contains(rich.Hash));
    }

    [Fact]
    public void Eviction_takes_a_senders_farthest_transaction_not_one_in_the_middle()
    {
        var pool = NewPool(new ChainProfile { ChainId = ChainId, MaxPoolTransactions = 3 });
        // Alice's nonce 0 is the cheapest transaction overall, but evicting it would strand nonce 1.
        Add(pool, Alice.Transfer(0, Sink, 1, maxFee: Gwei(2), tip: Gwei(1)));
        var aliceLast = Add(pool, Alice.Transfer(1, Sink, 1, maxFee: Gwei(40), tip: Gwei(1)));
        var bob = Add(pool, Bob.Transfer(0, Sink, 1, maxFee: Gwei(30), tip: Gwei(1)));

        Add(pool, Carol.Transfer(0, Sink, 1, maxFee: Gwei(35), tip: Gwei(1)));
        Assert.False(pool.Contains(bob.Hash)); // the cheapest of the tails (30 < 40)
        Assert.True(pool.Contains(aliceLast.Hash));
    }

    [Fact]
    public void Per_account_limit_refuses_the_farthest_and_evicts_for_a_nearer_nonce()
    {
        var pool = NewPool(new ChainProfile { ChainId = ChainId, MaxPoolTransactionsPerAccount = 2 });
        Add(pool, Alice.Transfer(0, Sink, 1));
        var far = Add(pool, Alice.Transfer(5, Sink, 1));
        var error = Assert.Throws<TxPoolException>(() => Add(pool, Alice.Transfer(6, Sink, 1)));
        Assert.Equal("account limit exceeded", error.Message);

        var near = Add(pool, Alice.Transfer(1, Sink, 1));
        Assert.False(pool.Contains(far.Hash));
        Assert.True(pool.IsPending(near));
    }

    [Fact]
    public void Queued_limit_per_account_applies_to_gapped_transactions()
    {
        var pool = NewPool(new ChainProfile { ChainId = ChainId, MaxQueuedPerAccount = 1 });
        Add(pool, Alice.Transfer(0, Sink, 1));
        Add(pool, Alice.Transfer(3, Sink, 1));
        Assert.Throws<TxPoolException>(() => Add(pool, Alice.Transfer(4, Sink, 1)));
        Add(pool, Alice.Transfer(1, Sink, 1)); // pending, no limit issue
        Assert.Equal(3, pool.Count);
    }

    [Fact]
    public void Geth_errors_for_invalid_transactions()
    {
        var pool = NewPool(new ChainProfile { ChainId = ChainId, MaxTransactionSize = 1024, MinGasPrice = Gwei(1), BlockGasLimit = 1_000_000 });
        _state.SetNonce(Alice.Address, 3);

        AssertRejected(pool, Alice.Transfer(2, Sink, 1), TxPoolError.NonceTooLow, $"nonce too low: address {Alice.Address}, tx: 2 state: 3");
        AssertRejected(pool, Alice.Transfer(3, Sink, Ether(1000)), TxPoolError.InsufficientFunds, $"insufficient funds for gas * price + value: address {Alice.Address} have ");
        AssertRejected(pool, Alice.Transfer(3, Sink, 1, gas: 20_000), TxPoolError.IntrinsicGasTooLow, "intrinsic gas too low: have 20000, want 21000");
        AssertRejected(pool, Alice.Transfer(3, Sink, 1, gas: 2_000_000), TxPoolError.ExceedsBlockGasLimit, "exceeds block gas limit: gas 2000000, block gas limit 1000000");
        AssertRejected(pool, Alice.Transfer(3, Sink, 1, chainId: 1), TxPoolError.InvalidChainId, "invalid chain id for signer: have 1 want 31337");
        AssertRejected(pool, Alice.Transfer(3, Sink, 1, gas: 100_000, data: new byte[2000]), TxPoolError.OversizedData, "oversized data: transaction size ");
        AssertRejected(pool, Alice.Legacy(3, Sink, 1, gasPrice: 100), TxPoolError.Underpriced, "transaction underpriced");

        var ok = Add(pool, Alice.Transfer(3, Sink, 1));
        AssertRejected(pool, ok.Transaction, TxPoolError.AlreadyKnown, "already known");
    }

    [Fact]
    public void Sender_costs_are_summed_over_its_pooled_transactions()
    {
        _state.SetBalance(Carol.Address, Ether(1) + Gwei(10) * 21_000 * 2);
        var pool = NewPool();
        Add(pool, Carol.Transfer(0, Sink, Ether(1) / 2));
        Add(pool, Carol.Transfer(1, Sink, Ether(1) / 2));
        var error = Assert.Throws<TxPoolException>(() => Add(pool, Carol.Transfer(2, Sink, 1)));
        // What Carol needs is this transaction's worst case on top of the two she already has pooled.
        var want = Ether(1) + Gwei(10) * 21_000 * 3 + UInt256.One;
        Assert.Equal($"insufficient funds for gas * price + value: address {Carol.Address} have {Ether(1) + Gwei(10) * 21_000 * 2} want {want}", error.Message);
    }

    [Fact]
    public void Reconcile_drops_mined_nonces_and_keeps_the_rest()
    {
        var pool = NewPool();
        Add(pool, Alice.Transfer(0, Sink, 1));
        Add(pool, Alice.Transfer(1, Sink, 1));
        var third = Add(pool, Alice.Transfer(2, Sink, 1));
        _state.SetNonce(Alice.Address, 2);
        pool.Reconcile([Alice.Address]);
        Assert.Equal(1, pool.Count);
        Assert.True(pool.IsPending(third));
    }

    [Fact]
    public void Removing_a_pending_transaction_demotes_its_successors()
    {
        var pool = NewPool();
        var first = Add(pool, Alice.Transfer(0, Sink, 1));
        var second = Add(pool, Alice.Transfer(1, Sink, 1));
        pool.Remove(first.Hash);
        Assert.False(pool.IsPending(second));
        Assert.Equal(0, pool.PendingCount);
        Assert.Null(pool.GetPendingNonce(Alice.Address));
    }

    [Fact]
    public void A_sender_whose_only_transaction_is_evicted_can_still_add_a_new_one()
    {
        var pool = NewPool(new ChainProfile { ChainId = ChainId, MaxPoolTransactionsPerAccount = 1 });
        Add(pool, Alice.Transfer(5, Sink, 1));
        var replacement = Add(pool, Alice.Transfer(0, Sink, 1)); // evicts nonce 5, the sender's only entry
        Assert.Equal(1, pool.Count);
        Assert.True(pool.IsPending(replacement));
        Assert.Equal(1UL, pool.GetPendingNonce(Alice.Address));
    }

    private static void AssertRejected(TxPool pool, Transaction tx, TxPoolError error, string messageStart)
    {
        var e = Assert.Throws<TxPoolException>(() => Add(pool, tx));
        Assert.Equal(error, e.Error);
        Assert.StartsWith(messageStart, e.Message);
    }

    private static List<Hash256> Drain(PendingTransactionIterator iterator)
    {
        var result = new List<Hash256>();
        while (iterator.Peek() is { } tx)
        {
            result.Add(tx.Hash);
            iterator.Shift();
        }
        return result;
    }
}
