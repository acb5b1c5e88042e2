using Thalamus.Core;
using Xunit;

namespace Thalamus.Evm.Tests;

/// <summary>SSTORE net gas metering (EIP-2200 with EIP-2929 and EIP-3529), transient storage, static protection.</summary>
public sealed class StorageTests
{
    // EIP-3529's test table, with the slot already warm: (code, original value, gas used, refund).
    [Theory]
    [InlineData("60006000556000600055", 0, 212, 0)]
    [InlineData("60006000556001600055", 0, 20112, 0)]
    [InlineData("60016000556000600055", 0, 20112, 19900)]
    [InlineData("60016000556002600055", 0, 20112, 0)]
    [InlineData("60016000556001600055", 0, 20112, 0)]
    [InlineData("60006000556000600055", 1, 3012, 4800)]
    [InlineData("60006000556001600055", 1, 3012, 2800)]
    [InlineData("60006000556002600055", 1, 3012, 0)]
    [InlineData("60026000556000600055", 1, 3012, 4800)]
    [InlineData("60026000556003600055", 1, 3012, 0)]
    [InlineData("60026000556001600055", 1, 3012, 2800)]
    [InlineData("60026000556002600055", 1, 3012, 0)]
    [InlineData("60016000556000600055", 1, 3012, 4800)]
    [InlineData("60016000556002600055", 1, 3012, 0)]
    [InlineData("60016000556001600055", 1, 212, 0)]
    [InlineData("600160005560006000556001600055", 0, 40118, 19900)]
    [InlineData("600060005560016000556000600055", 1, 5918, 7600)]
    public void Sstore_gas_and_refund_follow_EIP_3529(string code, ulong original, long gasUsed, long refund)
    {
        var world = new TestWorld();
        var contract = world.Deploy(1, Hex.Decode(code));
        world.State.SetStorage(contract, UInt256.Zero, new UInt256(original));
        world.State.BeginTransaction();
        world.State.WarmStorageSlot(contract, UInt256.Zero);
        var result = world.Machine.Call(world.State, world.Block, world.Transaction, TestWorld.Sender, contract, UInt256.Zero, [], 100_000);

        Assert.Equal(ExecutionStatus.Success, result.Status);
        Assert.Equal(gasUsed, 100_000 - result.GasLeft);
        Assert.Equal(refund, result.Refund);
    }

    [Fact]
    public void Cold_sstore_adds_2100()
    {
        var world = new TestWorld();
        var contract = world.Deploy(1, Hex.Decode("6001600055"));
        var result = world.Call(contract, gas: 100_000);
        Assert.Equal(3 + 3 + 2100 + 20000, 100_000 - result.GasLeft);
        Assert.Equal(UInt256.One, world.State.GetStorage(contract, UInt256.Zero));
    }

    [Fact]
    public void Sstore_needs_more_than_the_call_stipend()
    {
        var world = new TestWorld();
        var contract = world.Deploy(1, Hex.Decode("6001600055"));
        // After the two pushes exactly 2300 gas is left: SSTORE must fail even though a warm no-op would cost 100.
        var result = world.Call(contract, gas: 2306);
        Assert.Equal(ExecutionStatus.OutOfGas, result.Status);
        Assert.Equal(0, result.GasLeft);
        Assert.Equal(UInt256.Zero, world.State.GetStorage(contract, UInt256.Zero));
    }

    [Fact]
    public void Failed_frame_restores_the_refund_counter()
    {
        var world = new TestWorld();
        // Clears slot 0 (refund 4800), then hits INVALID: the refund must vanish with the frame.
        var contract = world.Deploy(1, Hex.Decode("6000600055fe"));
        world.State.SetStorage(contract, UInt256.Zero, UInt256.One);
        var result = world.Call(contract, gas: 100_000);
        Assert.Equal(ExecutionStatus.InvalidOpcode, result.Status);
        Assert.Equal(0, result.Refund);
        Assert.Equal(UInt256.One, world.State.GetStorage(contract, UInt256.Zero));
    }

    [Fact]
    public void Transient_storage_lives_for_one_transaction()
    {
        var world = new TestWorld();
        // Without call data: TSTORE(7, 42); then, either way, return TLOAD(7).
        var code = new Bytecode().Op(Op.CALLDATASIZE).Push(9).Op(Op.JUMPI).Push(42).Push(7).Op(Op.TSTORE)
            .Op(Op.JUMPDEST).Push(7).Op(Op.TLOAD).ReturnTop();
        var contract = world.Deploy(1, code);

        var first = world.Call(contract, gas: 100_000);
        Assert.Equal(new UInt256(42), UInt256.FromBigEndian(first.Output));
        Assert.Equal(240, 100_000 - first.GasLeft); // TSTORE and TLOAD cost 100 each

        var next = world.Call(contract, input: [1], gas: 100_000);
        Assert.Equal(UInt256.Zero, UInt256.FromBigEndian(next.Output));
    }
}
