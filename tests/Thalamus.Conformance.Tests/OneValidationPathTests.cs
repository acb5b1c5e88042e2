using Thalamus.Chain;
using Thalamus.Conformance;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;
using Xunit;

namespace Thalamus.Conformance.Tests;

/// <summary>
/// The pool, the processor and the conformance runner apply the validity rules of
/// <see cref="TransactionValidator"/>: a transaction that breaks a rule is refused by all three with the same words.
/// </summary>
public class OneValidationPathTests
{
    private const ulong ChainId = 1;
    private static readonly byte[] Key = Keccak256.Compute("one validation path"u8).ToArray();
    private static readonly Address Sink = Address.Parse("0x000000000000000000000000000000000000dead");

    private static Transaction Signed(ulong nonce = 0, ulong gas = 21_000, UInt256? tip = null, UInt256? maxFee = null, Address? to = null,
        byte[]? data = null, ulong chainId = ChainId, bool create = false) =>
        TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = chainId,
            Nonce = nonce,
            GasLimit = gas,
            MaxPriorityFeePerGas = tip ?? UInt256.One,
            MaxFeePerGas = maxFee ?? new UInt256(10),
            To = create ? null : to ?? Sink,
            Data = data ?? [],
        }, Key);

    public static TheoryData<string, byte[], string> Broken => new()
    {
        { "intrinsic gas", Signed(gas: 20_999).Encode(), "intrinsic gas too low: have 20999, want 21000" },
        { "init code", Signed(gas: 10_000_000, create: true, data: new byte[GasCosts.MaxInitCodeSize + 1]).Encode(), "max initcode size exceeded: code size 49153 limit 49152" },
        { "another chain", Signed(chainId: 5).Encode(), "invalid chain id for signer: have 5 want 1" },
        { "tip above fee cap", Signed(tip: new UInt256(11)).Encode(), "max priority fee per gas higher than max fee per gas: address {sender}, maxPriorityFeePerGas: 11, maxFeePerGas: 10" },
        { "nonce 2^64-1", Signed(nonce: ulong.MaxValue).Encode(), "nonce has max value: address {sender}, nonce: 18446744073709551615" },
        { "fee overflow", Signed(maxFee: UInt256.MaxValue, tip: UInt256.One).Encode(), "insufficient funds for gas * price + value: address {sender}, gas 21000 * price " },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_transaction_that_breaks_a_rule_is_refused_by_the_pool_the_processor_and_the_conformance_runner_in_the_same_words(
        string rule, byte[] raw, string expected)
    {
        var tx = TransactionDecoder.Decode(raw);
        var sender = tx.RecoverSender();
        expected = expected.Replace("{sender}", sender.ToString(), StringComparison.Ordinal);

        var state = new WorldState();
        state.SetBalance(sender, UInt256.MaxValue / 2);
        var pool = new TxPool(new ChainProfile { ChainId = ChainId }, () => state);
        var poolError = Assert.Throws<TxPoolException>(() => pool.Add(tx, sender)).Message;

        var block = new BlockContext { ChainId = ChainId, GasLimit = 30_000_000, BaseFee = UInt256.One, Number = 1 };
        var processed = new TransactionProcessor().Execute(state, block, tx, sender);
        Assert.False(processed.IsValid, rule);

        var verdict = TransactionTestCase.Judge(raw, ChainId);

        Assert.StartsWith(expected, poolError);
        Assert.Equal(poolError, processed.Error);
        Assert.Equal(poolError, verdict.Error);
    }

    [Fact]
    public void A_nonce_the_sender_already_used_is_refused_by_the_pool_and_the_processor_in_the_same_words()
    {
        var tx = Signed(nonce: 2);
        var sender = tx.RecoverSender();
        var state = new WorldState();
        state.SetBalance(sender, new UInt256(1_000_000_000));
        state.SetNonce(sender, 3);

        var poolError = Assert.Throws<TxPoolException>(() => new TxPool(new ChainProfile { ChainId = ChainId }, () => state).Add(tx, sender));
        var processed = new TransactionProcessor().Execute(state, new BlockContext { ChainId = ChainId, GasLimit = 30_000_000 }, tx, sender);

        Assert.Equal(TxPoolError.NonceTooLow, poolError.Error);
        Assert.Equal($"nonce too low: address {sender}, tx: 2 state: 3", poolError.Message);
        Assert.Equal(poolError.Message, processed.Error);
    }
}
