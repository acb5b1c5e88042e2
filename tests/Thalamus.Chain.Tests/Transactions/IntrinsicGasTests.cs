using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Xunit;

namespace Thalamus.Chain.Tests.Transactions;

public class IntrinsicGasTests
{
    [Fact]
    public void Matches_the_Cancun_formula() => Check.One(TransactionGenerators.Config, Prop.ForAll(
        Gen.Elements(TransactionGenerators.AllTypes).SelectMany(TransactionGenerators.Unsigned).ToArbitrary(), tx =>
        {
            // Spelled out independently: base, EIP-2028 calldata, EIP-3860 init code words, EIP-2930 access list.
            ulong expected = tx.To is null ? 53_000UL : 21_000UL;
            foreach (var b in tx.Data) expected += b == 0 ? 4UL : 16UL;
            if (tx.To is null) expected += 2UL * (ulong)Math.Ceiling(tx.Data.Length / 32.0);
            foreach (var entry in tx.AccessList) expected += 2_400UL + 1_900UL * (ulong)entry.StorageKeys.Count;

            Assert.Equal(expected, IntrinsicGas.Calculate(tx));
        }));

    [Fact]
    public void A_plain_transfer_costs_21000_and_an_empty_creation_53000()
    {
        Assert.Equal(21_000UL, IntrinsicGas.Calculate(new Transaction { To = Address.Zero }));
        Assert.Equal(53_000UL, IntrinsicGas.Calculate(new Transaction { To = null }));
    }

    [Theory]
    [InlineData(1, 53_000 + 16 + 2)]
    [InlineData(32, 53_000 + 32 * 16 + 2)]
    [InlineData(33, 53_000 + 33 * 16 + 4)]
    public void Init_code_is_charged_per_started_word(int length, int expected)
    {
        var data = Enumerable.Repeat((byte)0xfe, length).ToArray();
        Assert.Equal((ulong)expected, IntrinsicGas.Calculate(new Transaction { Data = data }));
        // a call with the same data pays no word cost
        Assert.Equal((ulong)(21_000 + 16 * length), IntrinsicGas.Calculate(new Transaction { To = Address.Zero, Data = data }));
    }
}
