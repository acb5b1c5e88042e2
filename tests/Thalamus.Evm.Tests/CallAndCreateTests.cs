using Thalamus.Core;
using Xunit;

namespace Thalamus.Evm.Tests;

/// <summary>The CALL family, CREATE/CREATE2, return data, logs and SELFDESTRUCT across frames.</summary>
public sealed class CallAndCreateTests
{
    /// <summary>CALL-family bytecode: pushes the arguments (value only for CALL/CALLCODE) and calls.</summary>
    private static Bytecode CallTo(Address target, byte op, ulong value = 0, ulong inSize = 0, ulong outSize = 32, ulong gas = 100_000)
    {
        var code = new Bytecode().Push(outSize).Push(0).Push(inSize).Push(0);
        if (op is Op.CALL or Op.CALLCODE) code.Push(value);
        return code.Push(target).Push(gas).Op(op);
    }

    [Fact]
    public void Call_returns_the_callee_output_into_memory_and_return_data()
    {
        var world = new TestWorld();
        var callee = world.Deploy(2, new Bytecode().Push(0xbeef).ReturnTop());
        // CALL, then return [success flag, RETURNDATASIZE, the 32 bytes written at 0].
        var caller = world.Deploy(1, CallTo(callee, Op.CALL).Push(32).Op(Op.MSTORE)
            .Op(Op.RETURNDATASIZE).Push(64).Op(Op.MSTORE).Push(96).Push(0).Op(Op.RETURN));
        var output = world.Call(caller).Output;
        Assert.Equal(new UInt256(0xbeef), UInt256.FromBigEndian(output.AsSpan(0, 32)));
        Assert.Equal(UInt256.One, UInt256.FromBigEndian(output.AsSpan(32, 32)));
        Assert.Equal(new UInt256(32), UInt256.FromBigEndian(output.AsSpan(64, 32)));
    }

    [Fact]
    public void Delegatecall_runs_in_the_callers_context()
    {
        var world = new TestWorld();
        // The library stores CALLER at CALLVALUE's slot... as seen inside the delegate frame.
        var library = world.Deploy(2, new Bytecode().Op(Op.CALLER).Op(Op.CALLVALUE).Op(Op.SSTORE).Op(Op.ADDRESS).ReturnTop());
        var proxy = world.Deploy(1, CallTo(library, Op.DELEGATECALL).Op(Op.POP).Push(32).Push(0).Op(Op.RETURN));
        var result = world.Call(proxy, value: new UInt256(5));

        Assert.Equal(ExecutionStatus.Success, result.Status);
        Assert.Equal(TestWorld.Sender.ToUInt256(), world.State.GetStorage(proxy, new UInt256(5)));
        Assert.Equal(UInt256.Zero, world.State.GetStorage(library, new UInt256(5)));
        Assert.Equal(proxy.ToUInt256(), UInt256.FromBigEndian(result.Output));
    }

    [Fact]
    public void Staticcall_forbids_state_changes_but_the_caller_continues()
    {
        var world = new TestWorld();
        var writer = world.Deploy(2, Hex.Decode("6001600055"));
        var caller = world.Deploy(1, CallTo(writer, Op.STATICCALL, gas: 50_000).ReturnTop());
        var result = world.Call(caller, gas: 200_000);

        Assert.Equal(ExecutionStatus.Success, result.Status);
        Assert.Equal(UInt256.Zero, UInt256.FromBigEndian(result.Output)); // the static call failed
        Assert.Equal(UInt256.Zero, world.State.GetStorage(writer, UInt256.Zero));
        Assert.True(200_000 - result.GasLeft > 50_000, "the failed callee's gas is consumed");
    }

    [Fact]
    public void Call_with_value_transfers_and_adds_the_stipend()
    {
        var world = new TestWorld();
        var payee = TestWorld.At(9);
        var caller = world.Deploy(1, CallTo(payee, Op.CALL, value: 7, outSize: 0, gas: 0).ReturnTop(), balance: new UInt256(100));
        var result = world.Call(caller, gas: 100_000);

        Assert.Equal(UInt256.One, UInt256.FromBigEndian(result.Output));
        Assert.Equal(new UInt256(7), world.State.GetBalance(payee));
        Assert.Equal(new UInt256(93), world.State.GetBalance(caller));
        // 7 pushes, CALL (100 + 2500 cold + 9000 value + 25000 new account), then the return sequence; the
        // callee has no code, so the 2300 stipend it was handed on top comes back unused: a net gain.
        Assert.Equal(3 * 7 + 100 + 2500 + 9000 + 25000 - 2300 + 3 + 6 + 3 + 3, 100_000 - result.GasLeft);
    }

    [Fact]
    public void Call_with_more_value_than_the_balance_fails_and_keeps_the_gas()
    {
        var world = new TestWorld();
        var payee = TestWorld.At(9);
        var caller = world.Deploy(1, CallTo(payee, Op.CALL, value: 1000, outSize: 0).ReturnTop(), balance: new UInt256(100));
        var result = world.Call(caller, gas: 200_000);
        Assert.Equal(UInt256.Zero, UInt256.FromBigEndian(result.Output));
        Assert.Equal(new UInt256(100), world.State.GetBalance(caller));
        Assert.True(200_000 - result.GasLeft < 50_000);
    }

    [Fact]
    public void Returndatacopy_past_the_end_halts()
    {
        var world = new TestWorld();
        var callee = world.Deploy(2, new Bytecode().Push(1).ReturnTop());
        var caller = world.Deploy(1, CallTo(callee, Op.CALL).Op(Op.POP).Push(33).Push(0).Push(0).Op(Op.RETURNDATACOPY));
        var result = world.Call(caller);
        Assert.Equal(ExecutionStatus.ReturnDataOutOfBounds, result.Status);
        Assert.Equal(0, result.GasLeft);
    }

    [Fact]
    public void Logs_of_a_reverted_frame_are_dropped()
    {
        var world = new TestWorld();
        var logsThenReverts = world.Deploy(2, new Bytecode().Push(0x11).Push(0).Push(0).Op(Op.LOG1).Push(0).Push(0).Op(Op.REVERT));
        var logs = world.Deploy(1, new Bytecode().Push(0x22).Push(0).Push(0).Op(Op.LOG1)
            .Op(CallTo(logsThenReverts, Op.CALL).Build()).Op(Op.POP).Op(Op.STOP));
        var result = world.Call(logs);

        Assert.Equal(ExecutionStatus.Success, result.Status);
        var log = Assert.Single(result.Logs);
        Assert.Equal(logs, log.Address);
        Assert.Equal(Hash256.FromUInt256(new UInt256(0x22)), Assert.Single(log.Topics));
    }

    [Fact]
    public void Recursion_reaches_the_depth_limit_without_exhausting_the_native_stack()
    {
        var world = new TestWorld();
        // slot0 += 1; CALL(self) with all gas.
        var code = new Bytecode().Push(0).Op(Op.SLOAD).Push(1).Op(Op.ADD).Push(0).Op(Op.SSTORE)
            .Push(0).Push(0).Push(0).Push(0).Push(0).Op(Op.ADDRESS, Op.GAS, Op.CALL, Op.STOP);
        var contract = world.Deploy(1, code);
        var result = world.Call(contract, gas: 1_000_000_000_000);
        Assert.Equal(ExecutionStatus.Success, result.Status);
        // Frames at depths 0..1024 each increment; the call from depth 1024 is refused.
        Assert.Equal(new UInt256(1025), world.State.GetStorage(contract, UInt256.Zero));
    }

    [Fact]
    public void Create_deploys_at_the_nonce_derived_address()
    {
        var world = new TestWorld();
        // Init code: return the one-byte runtime 0x00.
        var init = new Bytecode().Push(1).Push(0).Op(Op.RETURN).Build(); // returns memory[0..1] = 0x00
        var factory = world.Deploy(1, new Bytecode().StoreInMemory(init).Push(init.Length).Push(0).Push(0).Op(Op.CREATE).ReturnTop());
        var result = world.Call(factory, gas: 1_000_000);

        var expected = ContractAddress.From(factory, 1);
        Assert.Equal(expected.ToUInt256(), UInt256.FromBigEndian(result.Output));
        Assert.Equal(new byte[] { 0 }, world.State.GetCode(expected));
        Assert.Equal(1UL, world.State.GetNonce(expected));
        Assert.Equal(2UL, world.State.GetNonce(factory));
    }

    [Theory]
    [InlineData(GasCosts.MaxCodeSize, true)]
    [InlineData(GasCosts.MaxCodeSize + 1, false)]
    public void Created_code_may_not_exceed_24576_bytes(int size, bool succeeds)
    {
        var world = new TestWorld();
        var init = new Bytecode().Push((ulong)size).Push(0).Op(Op.RETURN).Build();
        var factory = world.Deploy(1, new Bytecode().StoreInMemory(init).Push(init.Length).Push(0).Push(0).Op(Op.CREATE).ReturnTop());
        var result = world.Call(factory, gas: 10_000_000);
        Assert.Equal(ExecutionStatus.Success, result.Status);
        Assert.Equal(succeeds, !UInt256.FromBigEndian(result.Output).IsZero);
    }

    [Theory]
    [InlineData(0xef, false)]
    [InlineData(0xfe, true)]
    public void Created_code_may_not_start_with_0xEF(byte first, bool succeeds)
    {
        var world = new TestWorld();
        var init = new Bytecode().Push(first).Push(0).Op(Op.MSTORE8).Push(1).Push(0).Op(Op.RETURN).Build();
        var result = world.Create(init);
        Assert.Equal(succeeds, result.Success);
        if (!succeeds)
        {
            Assert.Equal(ExecutionStatus.InvalidCodePrefix, result.Status);
            Assert.Equal(0, result.GasLeft);
        }
    }

    [Fact]
    public void Create2_address_and_collision()
    {
        var world = new TestWorld();
        var init = new byte[] { 0x00 }; // STOP: deploys empty code
        var factory = world.Deploy(1, new Bytecode().StoreInMemory(init)
            .Push(0x5a17).Push(1).Push(0).Push(0).Op(Op.CREATE2)
            .Push(0).Op(Op.MSTORE)
            .Push(0x5a17).Push(1).Push(0).Push(0).Op(Op.CREATE2) // same salt: the address now has a nonce
            .Push(32).Op(Op.MSTORE).Push(64).Push(0).Op(Op.RETURN));
        var result = world.Call(factory, gas: 1_000_000);

        var expected = ContractAddress.From(factory, new UInt256(0x5a17), Keccak256.Compute(init));
        Assert.Equal(expected.ToUInt256(), UInt256.FromBigEndian(result.Output.AsSpan(0, 32)));
        Assert.Equal(UInt256.Zero, UInt256.FromBigEndian(result.Output.AsSpan(32, 32)));
    }

    [Fact]
    public void Init_code_over_49152_bytes_is_an_exceptional_halt()
    {
        var world = new TestWorld();
        var factory = world.Deploy(1, new Bytecode().Push(GasCosts.MaxInitCodeSize + 1).Push(0).Push(0).Op(Op.CREATE));
        var result = world.Call(factory, gas: 1_000_000);
        Assert.Equal(ExecutionStatus.InitCodeSizeExceeded, result.Status);
        Assert.Equal(0, result.GasLeft);
    }

    [Fact]
    public void Selfdestruct_only_deletes_a_contract_created_in_the_same_transaction()
    {
        var world = new TestWorld();
        var heir = TestWorld.At(9);
        var old = world.Deploy(1, new Bytecode().Push(heir).Op(Op.SELFDESTRUCT), balance: new UInt256(50));
        var result = world.Call(old, gas: 100_000);
        Assert.Equal(ExecutionStatus.Success, result.Status);
        Assert.Empty(result.DestroyedAccounts);
        Assert.NotEmpty(world.State.GetCode(old));
        Assert.Equal(new UInt256(50), world.State.GetBalance(heir));
        Assert.Equal(UInt256.Zero, world.State.GetBalance(old));

        // Init code that self-destructs: the new account is scheduled for deletion.
        var created = world.Create(new Bytecode().Push(heir).Op(Op.SELFDESTRUCT), value: new UInt256(3));
        Assert.Equal(ExecutionStatus.Success, created.Status);
        Assert.Equal(created.ContractAddress, Assert.Single(created.DestroyedAccounts));
        Assert.Equal(new UInt256(53), world.State.GetBalance(heir));
    }

    [Fact]
    public void Selfdestruct_is_forbidden_in_a_static_call()
    {
        var world = new TestWorld();
        var destroyer = world.Deploy(2, new Bytecode().Push(TestWorld.At(9)).Op(Op.SELFDESTRUCT));
        var caller = world.Deploy(1, CallTo(destroyer, Op.STATICCALL).ReturnTop());
        Assert.Equal(UInt256.Zero, UInt256.FromBigEndian(world.Call(caller, gas: 500_000).Output));
    }
}
