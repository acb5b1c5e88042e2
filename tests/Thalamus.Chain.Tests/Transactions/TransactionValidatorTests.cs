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
    public void A_well_formed_transaction_passes(TxType type) => Assert.Null(TransactionValidator.GetError(Valid(type), 1));

    [Fact]
    public void Intrinsic_gas_above_the_gas_limit_is_rejected()
    {
        var tx = new Transaction { Type = TxType.Legacy, ChainId = 1, GasLimit = 21_015, To = Address.Zero, Data = [1] };
        Assert.Contains("intrinsic gas too low: the transaction needs 21016 gas", TransactionValidator.GetError(tx, 1));
        Assert.Null(TransactionValidator.GetError(new Transaction { Type = TxType.Legacy, ChainId = 1, GasLimit = 21_016, To = Address.Zero, Data = [1] }, 1));
    }

    [Fact]
    public void Init_code_above_49152_bytes_is_rejected()
    {
        Transaction Create(int size) => new() { Type = TxType.Legacy, ChainId = 1, GasLimit = 10_000_000, Data = new byte[size] };
        Assert.Null(TransactionValidator.GetError(Create(49_152), 1));
        Assert.Contains("EIP-3860", TransactionValidator.GetError(Create(49_153), 1));
        // the limit is for creation only
        Assert.Null(TransactionValidator.GetError(new Transaction { Type = TxType.Legacy, ChainId = 1, GasLimit = 10_000_000, To = Address.Zero, Data = new byte[49_153] }, 1));
    }

    [Fact]
    public void Nonce_2_pow_64_minus_1_is_rejected()
    {
        Assert.Contains("EIP-2681", TransactionValidator.GetError(new Transaction { Type = TxType.Legacy, ChainId = 1, GasLimit = 21_000, To = Address.Zero, Nonce = ulong.MaxValue }, 1));
        Assert.Null(TransactionValidator.GetError(new Transaction { Type = TxType.Legacy, ChainId = 1, GasLimit = 21_000, To = Address.Zero, Nonce = ulong.MaxValue - 1 }, 1));
    }

    [Fact]
    public void Priority_fee_above_max_fee_is_rejected()
    {
        var tx = new Transaction { Type = TxType.DynamicFee, ChainId = 1, GasLimit = 21_000, To = Address.Zero, MaxPriorityFeePerGas = 3UL, MaxFeePerGas = 2UL };
        Assert.Contains("max priority fee per gas 3 exceeds max fee per gas 2", TransactionValidator.GetError(tx, 1));
    }

    [Fact]
    public void Gas_limit_times_fee_cap_beyond_256_bits_is_rejected()
    {
        var limitFee = UInt256.MaxValue / 21_000;
        Transaction At(UInt256 price) => new() { Type = TxType.Legacy, ChainId = 1, GasLimit = 21_000, To = Address.Zero, GasPrice = price };
        Assert.Null(TransactionValidator.GetError(At(limitFee), 1));
        Assert.Contains("overflows 256 bits", TransactionValidator.GetError(At(limitFee + 1), 1));
    }

    [Fact]
    public void Blob_rules_of_EIP4844_are_enforced()
    {
        Transaction Blob(params Hash256[] hashes) => new()
        {
            Type = TxType.Blob, ChainId = 1, GasLimit = 21_000, To = Address.Zero, BlobVersionedHashes = hashes,
        };
        Assert.Contains("at least one blob", TransactionValidator.GetError(Blob(), 1));
        Assert.Contains("has version 0x02, expected 0x01", TransactionValidator.GetError(Blob(VersionedHash(1), VersionedHash(2)), 1));
        Assert.Null(TransactionValidator.GetError(Blob(Enumerable.Repeat(VersionedHash(1), 6).ToArray()), 1));
        Assert.Contains("7 blobs", TransactionValidator.GetError(Blob(Enumerable.Repeat(VersionedHash(1), 7).ToArray()), 1));
        Assert.Contains("cannot create a contract", TransactionValidator.GetError(new Transaction
        {
            Type = TxType.Blob, ChainId = 1, GasLimit = 60_000, BlobVersionedHashes = [VersionedHash(1)],
        }, 1));
    }

    [Fact]
    public void Validate_throws_the_same_message_GetError_returns()
    {
        var tx = new Transaction { Type = TxType.Legacy, ChainId = 1, GasLimit = 1, To = Address.Zero };
        var error = Assert.Throws<InvalidTransactionException>(() => TransactionValidator.Validate(tx, 1));
        Assert.Equal(TransactionValidator.GetError(tx, 1), error.Message);
    }
}
