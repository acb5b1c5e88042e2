using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.State;
using Xunit;

namespace Thalamus.Evm.Tests;

/// <summary>Transaction validation (geth's errors, state untouched) and the fee and refund flow.</summary>
public sealed class TransactionProcessorTests
{
    private static readonly Address Sender = Address.Parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b");
    private static readonly Address Recipient = Address.Parse("0x00000000000000000000000000000000000000bb");
    private static readonly Address Coinbase = Address.Parse("0x00000000000000000000000000000000000000cc");

    private static (WorldState State, BlockContext Block) Setup(UInt256 balance)
    {
        var state = new WorldState();
        state.SetBalance(Sender, balance);
        return (state, new BlockContext { Coinbase = Coinbase, Number = 1, GasLimit = 30_000_000, BaseFee = new UInt256(10), ChainId = 1 });
    }

    private static Transaction Transfer(ulong nonce = 0, ulong gasLimit = 21_000, ulong value = 1000, ulong maxFee = 20, ulong tip = 2) => new()
    {
        Type = TxType.DynamicFee,
        ChainId = 1,
        Nonce = nonce,
        GasLimit = gasLimit,
        MaxFeePerGas = new UInt256(maxFee),
        MaxPriorityFeePerGas = new UInt256(tip),
        To = Recipient,
        Value = new UInt256(value),
    };

    [Fact]
    public void A_transfer_pays_the_tip_to_the_coinbase_and_burns_the_base_fee()
    {
        var (state, block) = Setup(new UInt256(1_000_000));
        var result = new TransactionProcessor().Execute(state, block, Transfer(), Sender);

        Assert.True(result.IsValid);
        Assert.True(result.Success);
        Assert.Equal(21_000, result.GasUsed);
        Assert.Equal(new UInt256(1000), state.GetBalance(Recipient));
        Assert.Equal(new UInt256(21_000 * 2), state.GetBalance(Coinbase));                 // effective tip 2
        Assert.Equal(new UInt256(1_000_000 - 1000 - 21_000 * 12), state.GetBalance(Sender)); // price = 10 + 2
        Assert.Equal(1UL, state.GetNonce(Sender));
    }

    public static TheoryData<string, Transaction, string> InvalidTransactions => new()
    {
        { "nonce too high", Transfer(nonce: 1), "nonce too high" },
        { "intrinsic gas", Transfer(gasLimit: 20_999), "intrinsic gas too low" },
        { "fee cap under base fee", Transfer(maxFee: 9, tip: 1), "max fee per gas less than block base fee" },
        { "tip over fee cap", Transfer(maxFee: 20, tip: 21), "max priority fee per gas higher than max fee per gas" },
        { "balance", Transfer(value: 10_000_000_000_000), "insufficient funds for gas * price + value" },
        { "block gas limit", Transfer(gasLimit: 30_000_001), "exceeds block gas limit" },
    };

    [Theory]
    [MemberData(nameof(InvalidTransactions))]
    public void An_invalid_transaction_is_rejected_with_geths_error_and_changes_nothing(string what, Transaction tx, string error)
    {
        var (state, block) = Setup(new UInt256(1_000_000_000_000));
        var before = state.ComputeStateRoot();
        var result = new TransactionProcessor().Execute(state, block, tx, Sender);

        Assert.False(result.IsValid, what);
        Assert.StartsWith(error, result.Error);
        Assert.Equal(before, state.ComputeStateRoot());
    }

    [Fact]
    public void A_sender_with_code_is_rejected()
    {
        var (state, block) = Setup(new UInt256(1_000_000));
        state.SetCode(Sender, [0x00]);
        var result = new TransactionProcessor().Execute(state, block, Transfer(), Sender);
        Assert.False(result.IsValid);
        Assert.StartsWith("sender not an eoa", result.Error);
    }

    [Fact]
    public void A_simulation_skips_the_sender_checks_like_geths_eth_call()
    {
        var (state, block) = Setup(new UInt256(1_000_000_000_000));
        state.SetCode(Sender, [0x00]);
        var simulator = new TransactionProcessor { SkipAccountChecks = true };
        // A contract sender with a stale nonce: rejected in a block, accepted as a simulation.
        var result = simulator.Execute(state, block, Transfer(nonce: 5), Sender);
        Assert.True(result.IsValid, result.Error);
        Assert.True(result.Success);
    }

    [Fact]
    public void The_refund_is_capped_at_a_fifth_of_the_gas_used()
    {
        var (state, block) = Setup(new UInt256(1_000_000_000));
        // Clears five pre-set slots: 5 * 4800 refund, far above a fifth of the gas used.
        var code = new Bytecode();
        for (ulong slot = 0; slot < 5; slot++) code.Push(0).Push(slot).Op(Op.SSTORE);
        state.SetCode(Recipient, code);
        for (ulong slot = 0; slot < 5; slot++) state.SetStorage(Recipient, new UInt256(slot), UInt256.One);

        var result = new TransactionProcessor().Execute(state, block, Transfer(gasLimit: 100_000, value: 0), Sender);

        Assert.True(result.Success);
        var beforeRefund = 21_000 + 5 * (3 + 3 + 2100 + 2900);
        Assert.Equal(beforeRefund - beforeRefund / 5, result.GasUsed);
    }

    [Fact]
    public void A_creation_deploys_at_the_senders_nonce_address()
    {
        var (state, block) = Setup(new UInt256(1_000_000_000));
        var init = new Bytecode().Push(0x2a).Push(0).Op(Op.MSTORE8).Push(1).Push(0).Op(Op.RETURN).Build();
        var tx = new Transaction
        {
            Type = TxType.Legacy, Nonce = 0, GasLimit = 100_000, GasPrice = new UInt256(10), Data = init,
        };
        var result = new TransactionProcessor().Execute(state, block, tx, Sender);

        Assert.True(result.Success);
        Assert.Equal(ContractAddress.From(Sender, 0), result.ContractAddress);
        Assert.Equal(new byte[] { 0x2a }, state.GetCode(result.ContractAddress!.Value));
        Assert.Equal(1UL, state.GetNonce(Sender));
    }
}
