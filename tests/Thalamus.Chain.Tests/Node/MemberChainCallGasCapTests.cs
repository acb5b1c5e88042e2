using Thalamus.Core;
using Xunit;
using static Thalamus.Chain.Tests.Node.ChainTestKit;

namespace Thalamus.Chain.Tests.Node;

/// <summary>
/// The RPC gas cap (<see cref="ChainProfile.RpcGasCap"/>, geth's --rpc.gascap) bounds eth_call,
/// eth_estimateGas and eth_createAccessList alike: a request asking for more, or for nothing, runs
/// with the cap, and a call the cap stops fails with geth's "gas required exceeds allowance (cap)".
/// </summary>
public class MemberChainCallGasCapTests
{
    private static readonly Address Burner = Address.Parse("0x00000000000000000000000000000000000b0b0b");

    /// <summary>JUMPDEST PUSH1 0 JUMP: loops until the gas runs out.</summary>
    private static readonly byte[] BurnAllGas = [0x5b, 0x60, 0x00, 0x56];

    private static MemberChain ChainWithBurner(ulong rpcGasCap, ulong blockGasLimit = 30_000_000)
    {
        var genesis = Genesis();
        var chain = NewChain(out _, new ChainProfile { ChainId = ChainId, RpcGasCap = rpcGasCap, BlockGasLimit = blockGasLimit },
            new GenesisConfig { ChainId = genesis.ChainId, Timestamp = genesis.Timestamp, Alloc = genesis.Alloc, GasLimit = blockGasLimit });
        chain.SetCode(Burner, BurnAllGas);
        return chain;
    }

    [Fact]
    public void The_default_cap_is_gethS_50_million()
    {
        Assert.Equal(50_000_000UL, new ChainProfile().RpcGasCap);
        var chain = ChainWithBurner(ChainProfile.DefaultRpcGasCap);
        var result = chain.Call(new CallRequest { To = Burner }, BlockSelector.Latest);
        Assert.Equal("gas required exceeds allowance (50000000)", result.Error);
        Assert.Equal(50_000_000UL, result.GasUsed);
    }

    [Fact]
    public void A_call_asking_for_more_than_the_cap_runs_with_the_cap_and_fails_naming_it()
    {
        var chain = ChainWithBurner(rpcGasCap: 100_000);
        foreach (var asked in new ulong?[] { null, 100_000, 10_000_000 })
        {
            var result = chain.Call(new CallRequest { To = Burner, Gas = asked }, BlockSelector.Latest);
            Assert.False(result.Success);
            Assert.Equal("gas required exceeds allowance (100000)", result.Error);
            Assert.Equal(100_000UL, result.GasUsed);
        }

        // Below the cap the caller's own limit decides, and running out of it is plain "out of gas".
        var own = chain.Call(new CallRequest { To = Burner, Gas = 50_000 }, BlockSelector.Latest);
        Assert.Equal("out of gas", own.Error);
        Assert.Equal(50_000UL, own.GasUsed);
    }

    [Fact]
    public void Estimate_and_access_list_are_bounded_by_the_same_cap()
    {
        var chain = ChainWithBurner(rpcGasCap: 100_000);
        var estimate = Assert.Throws<ChainException>(() => chain.EstimateGas(new CallRequest { To = Burner, Gas = 10_000_000 }, BlockSelector.Latest));
        Assert.Equal("gas required exceeds allowance (100000)", estimate.Message);

        var list = chain.CreateAccessList(new CallRequest { To = Burner, Gas = 10_000_000 }, BlockSelector.Latest);
        Assert.Equal("gas required exceeds allowance (100000)", list.Error);
        Assert.Equal(100_000UL, list.GasUsed);
    }

    [Fact]
    public void A_zero_cap_is_the_block_gas_limit()
    {
        var chain = ChainWithBurner(rpcGasCap: 0, blockGasLimit: 8_000_000);
        Assert.Equal(8_000_000UL, chain.RpcGasCapFor(chain.Head));
        var result = chain.Call(new CallRequest { To = Burner, Gas = 20_000_000 }, BlockSelector.Latest);
        Assert.Equal("gas required exceeds allowance (8000000)", result.Error);
        Assert.Equal(8_000_000UL, result.GasUsed);
    }

    [Fact]
    public void A_raised_cap_lets_a_call_use_more_than_the_block_gas_limit()
    {
        var chain = ChainWithBurner(rpcGasCap: 200_000_000, blockGasLimit: 30_000_000);
        var result = chain.Call(new CallRequest { To = Burner, Gas = 120_000_000 }, BlockSelector.Latest);
        Assert.Equal("out of gas", result.Error);
        Assert.Equal(120_000_000UL, result.GasUsed);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(20_999UL)]
    public void A_cap_below_a_plain_transfer_is_refused_with_the_reason(ulong cap)
    {
        Assert.Equal($"{cap} is below a plain transfer's 21000 gas (0 means the block gas limit)", ChainProfile.RpcGasCapProblem(cap));
        Assert.Null(ChainProfile.RpcGasCapProblem(0));
        Assert.Null(ChainProfile.RpcGasCapProblem(21_000));
    }
}
