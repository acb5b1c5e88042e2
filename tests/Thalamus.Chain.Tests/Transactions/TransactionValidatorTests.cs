using Thalamus.Core;
using Xunit;

namespace Thalamus.Chain.Tests.Transactions;

public class TransactionValidatorTests
{
    private static Transaction Valid(TxType type = TxType.DynamicFee) => new()
    {
        Type = type,
        ChainId = 1,
        GasPrice = type is TxType.Legacy or TxType.AccessList ? 1UL : UInt256.Zero,
        MaxPriorityFeePerGas = type is TxType.DynamicFee or TxType.Blob ? 1UL : UInt256.Zero,
        MaxFeePerGas = type is TxType.DynamicFee or TxType.Blob ? 2UL : UInt256.Zero,
        GasLimit = 21_000,
        To = Address.Zero,
        BlobVersionedHashes = type == TxType.Blob ? [VersionedHash(0x01)] : [],
    };

    private static Hash256 VersionedHash(byte version)
    {
        var bytes = new byte[32];
        bytes[0] = version;
        return new Hash256(bytes);
    }

    [Theory]
    [InlineData(TxType.Legacy)]
    [InlineData(TxType.AccessList)]
    [InlineData(TxType.DynamicFee)]
    [InlineData(TxType.Blob)]
    public void A_well_formed_transaction_passes(TxType type) => Assert.Null(TransactionValidator.CheckStateless(Valid(type), 1)?.Message);

    [Fact]
    public void Intrinsic_gas_above_the_gas_limit_is_rejected_in_geths_words()
    {
        var tx = new Transaction { Type = TxType.Legacy, ChainId = 1, GasLimit = 21_015, To = Address.Zero, Data = [1] };
        var rejection = TransactionValidator.CheckStateless(tx, 1);
        Assert.Equal(TransactionRule.IntrinsicGasTooLow, rejection?.Rule);
        Assert.Equal("intrinsic gas too low: have 21015, want 21016", rejection?.Message);
        Assert.Null(TransactionValidator.CheckStateless(new Transaction { Type = TxType.Legacy, ChainId = 1, GasLimit = 21_016, To = Address.Zero, Data = [1] }, 1));
    }

    [Fact]
    public void Init_code_above_49152_bytes_is_rejected()
    {
        Transaction Create(int size) => new() { Type = TxType.Legacy, ChainId = 1, GasLimit = 10_000_000, Data = new byte[size] };
        Assert.Null(TransactionValidator.CheckStateless(Create(49_152), 1));
        Assert.Equal("max initcode size exceeded: code size 49153 limit 49152", TransactionValidator.CheckStateless(Create(49_153), 1)?.Message);
        // the limit is for creation only
        Assert.Null(TransactionValidator.CheckStateless(new Transaction { Type = TxType.Legacy, ChainId = 1, GasLimit = 10_000_000, To = Address.Zero, Data = new byte[49_153] }, 1));
    }

    [Fact]
    public void Nonce_2_pow_64_minus_1_is_rejected()
    {
        var sender = Address.Parse("0x00000000000000000000000000000000000000aa");
        var rejection = TransactionValidator.CheckStateless(
            new Transaction { Type = TxType.Legacy, ChainId = 1, GasLimit = 21_000, To = Address.Zero, Nonce = ulong.MaxValue }, 1, sender);
        Assert.Equal(TransactionRule.NonceMax, rejection?.Rule);
        Assert.Equal($"nonce has max value: address {sender}, nonce: {ulong.MaxValue}", rejection?.Message);
        Assert.Null(TransactionValidator.CheckStateless(new Transaction { Type = TxType.Legacy, ChainId = 1, GasLimit = 21_000, To = Address.Zero, Nonce = ulong.MaxValue - 1 }, 1));
    }

    [Fact]
    public void Priority_fee_above_max_fee_is_rejected()
    {
        var tx = new Transaction { Type = TxType.DynamicFee, ChainId = 1, GasLimit = 21_000, To = Address.Zero, MaxPriorityFeePerGas = 3UL, MaxFeePerGas = 2UL };
        Assert.Equal("max priority fee per gas higher than max fee per gas: maxPriorityFeePerGas: 3, maxFeePerGas: 2",
            TransactionValidator.CheckStateless(tx, 1)?.Message);
    }

    [Fact]
    public void Gas_limit_times_fee_cap_beyond_256_bits_is_rejected()
    {
        var limitFee = UInt256.MaxValue / 21_000;
        Transaction At(UInt256 price) => new() { Type = TxType.Legacy, ChainId = 1, GasLimit = 21_000, To = Address.Zero, GasPrice = price };
        Assert.Null(TransactionValidator.CheckStateless(At(limitFee), 1));
        var rejection = TransactionValidator.CheckStateless(At(limitFee + 1), 1);
        Assert.Equal(TransactionRule.InsufficientFunds, rejection?.Rule);
        Assert.EndsWith("overflows 256 bits", rejection?.Message);
    }

    [Fact]
    public void A_gas_limit_above_the_blocks_is_rejected_only_where_a_block_limit_is_given()
    {
        var tx = new Transaction { Type = TxType.Legacy, ChainId = 1, GasLimit = 30_000_001, To = Address.Zero };
        Assert.Null(TransactionValidator.CheckStateless(tx, 1));
        Assert.Equal("exceeds block gas limit: gas 30000001, block gas limit 30000000", TransactionValidator.CheckStateless(tx, 1, null, 30_000_000)?.Message);
    }

    [Fact]
    public void Blob_rules_of_EIP4844_are_enforced()
    {
        Transaction Blob(params Hash256[] hashes) => new()
        {
            Type = TxType.Blob, ChainId = 1, GasLimit = 21_000, To = Address.Zero, BlobVersionedHashes = hashes,
        };
        Assert.Equal(TransactionRule.MissingBlobHashes, TransactionValidator.CheckStateless(Blob(), 1)?.Rule);
        Assert.Equal("blob 1 has invalid hash version", TransactionValidator.CheckStateless(Blob(VersionedHash(1), VersionedHash(2)), 1)?.Message);
        Assert.Null(TransactionValidator.CheckStateless(Blob(Enumerable.Repeat(VersionedHash(1), 6).ToArray()), 1));
        Assert.Equal("too many blobs in transaction: have 7, permitted 6",
            TransactionValidator.CheckStateless(Blob(Enumerable.Repeat(VersionedHash(1), 7).ToArray()), 1)?.Message);
        Assert.Equal("blob transaction of type create", TransactionValidator.CheckStateless(new Transaction
        {
            Type = TxType.Blob, ChainId = 1, GasLimit = 60_000, BlobVersionedHashes = [VersionedHash(1)],
        }, 1)?.Message);
    }

    [Fact]
    public void Validate_throws_the_message_of_the_broken_rule()
    {
        var tx = new Transaction { Type = TxType.Legacy, ChainId = 1, GasLimit = 1, To = Address.Zero };
        var error = Assert.Throws<InvalidTransactionException>(() => TransactionValidator.Validate(tx, 1));
        Assert.Equal(TransactionValidator.CheckStateless(tx, 1)?.Message, error.Message);
    }
}
