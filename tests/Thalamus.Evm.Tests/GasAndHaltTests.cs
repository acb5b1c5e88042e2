using Thalamus.Core;
using Xunit;

namespace Thalamus.Evm.Tests;

/// <summary>Exact gas of instructions with dynamic costs, and exceptional halts that consume all gas.</summary>
public sealed class GasAndHaltTests
{
    private static ExecutionResult Run(byte[] code, long gas = 1_000_000, byte[]? input = null) =>
        new CodeRunner(code).Run(input ?? [], gas);

    private static long GasUsed(byte[] code, long gas = 1_000_000) => gas - Run(code, gas).GasLeft;

    [Fact]
    public void Static_costs_add_up() =>
        Assert.Equal(3 + 3 + 3 + 2 + 0, GasUsed(new Bytecode().Push(1).Push(2).Op(Op.ADD, Op.POP, Op.STOP)));

    [Theory]
    [InlineData(0, 3)]               // one word: 3*1 + 1/512
    [InlineData(32, 6)]              // two words
    [InlineData(992, 96 + 2)]        // 32 words: 96 + 1024/512
    [InlineData(32 * 1023, 3 * 1024 + 1024 * 1024 / 512)]
    public void Memory_expansion_is_linear_plus_quadratic(ulong offset, long expansion) =>
        // PUSH1 + PUSHn + MSTORE(3) + expansion
        Assert.Equal(3 + 3 + 3 + expansion, GasUsed(new Bytecode().Push(0).Push(offset).Op(Op.MSTORE)));

    [Fact]
    public void Memory_is_only_charged_once_per_word() =>
        Assert.Equal(3 + 3 + 3 + 3 + 3 + 3 + 3, GasUsed(new Bytecode().Push(0).Push(0).Op(Op.MSTORE).Push(1).Push(0).Op(Op.MSTORE)));

    [Theory]
    [InlineData(0UL, 0)]
    [InlineData(1UL, 1)]
    [InlineData(255UL, 1)]
    [InlineData(256UL, 2)]
    [InlineData(ulong.MaxValue, 8)]
    public void Exp_costs_50_per_exponent_byte(ulong exponent, int bytes) =>
        Assert.Equal(3 + 3 + 10 + 50 * bytes, GasUsed(new Bytecode().Push(exponent).Push(2).Op(Op.EXP)));

    [Theory]
    [InlineData(0, 30)]
    [InlineData(1, 30 + 6 + 3)]
    [InlineData(64, 30 + 12 + 6)]
    public void Keccak256_costs_6_per_word_plus_memory(ulong size, long cost) =>
        Assert.Equal(3 + 3 + cost, GasUsed(new Bytecode().Push(size).Push(0).Op(Op.KECCAK256)));

    [Fact]
    public void Keccak256_of_memory_is_the_hash() =>
        Assert.Equal(Keccak256.Compute(new byte[32]).ToArray(), Run(new Bytecode().Push(32).Push(0).Op(Op.KECCAK256).ReturnTop()).Output);

    [Theory]
    [InlineData(0, 3)]
    [InlineData(1, 3 + 3 + 3)]
    [InlineData(33, 3 + 6 + 6)]
    public void Copies_cost_3_per_word_plus_memory(ulong size, long cost) =>
        Assert.Equal(9 + cost, GasUsed(new Bytecode().Push(size).Push(0).Push(0).Op(Op.CALLDATACOPY)));

    [Theory]
    [InlineData(0, 0, 375)]
    [InlineData(2, 10, 375 + 2 * 375 + 80 + 3)]
    public void Log_costs_375_per_topic_and_8_per_byte(int topics, ulong size, long cost)
    {
        var code = new Bytecode();
        for (var i = 0; i < topics; i++) code.Push(7);
        code.Push(size).Push(0).Op((byte)(Op.LOG0 + topics));
        Assert.Equal(3 * (topics + 2) + cost, GasUsed(code));
    }

    [Fact]
    public void Cold_then_warm_account_access()
    {
        var other = Address.Parse("0x00000000000000000000000000000000000000aa");
        var code = new Bytecode().Push(other).Op(Op.BALANCE, Op.POP).Push(other).Op(Op.BALANCE);
        Assert.Equal(3 + 2600 + 2 + 3 + 100, GasUsed(code));
    }

    [Fact]
    public void Cold_then_warm_storage_read() =>
        Assert.Equal(3 + 2100 + 2 + 3 + 100, GasUsed(new Bytecode().Push(1).Op(Op.SLOAD, Op.POP).Push(1).Op(Op.SLOAD)));

    [Fact]
    public void Gas_opcode_sees_the_gas_after_its_own_cost()
    {
        var result = Run(new Bytecode().Op(Op.GAS).ReturnTop(), gas: 1000);
        Assert.Equal(new UInt256(998), UInt256.FromBigEndian(result.Output));
    }

    public static TheoryData<string, string, ExecutionStatus> BadCode => new()
    {
        { "designated INVALID", "fe", ExecutionStatus.InvalidOpcode },
        { "undefined 0x0c", "0c", ExecutionStatus.InvalidOpcode },
        { "undefined 0xef", "ef", ExecutionStatus.InvalidOpcode },
        { "undefined 0x21", "21", ExecutionStatus.InvalidOpcode },
        { "undefined 0xf6", "f6", ExecutionStatus.InvalidOpcode },
        { "ADD on an empty stack", "01", ExecutionStatus.StackUnderflow },
        { "ADD with one item", "600101", ExecutionStatus.StackUnderflow },
        { "SWAP1 with one item", "600190", ExecutionStatus.StackUnderflow },
        { "DUP2 with one item", "600181", ExecutionStatus.StackUnderflow },
        { "SSTORE on an empty stack", "55", ExecutionStatus.StackUnderflow },
        { "CALL with six items", "5f5f5f5f5f5ff1", ExecutionStatus.StackUnderflow },
        { "JUMP to a non-JUMPDEST", "600056", ExecutionStatus.InvalidJump },
        { "JUMP into PUSH data", "600456605b00", ExecutionStatus.InvalidJump },
        { "JUMP past the end", "61ffff56", ExecutionStatus.InvalidJump },
        { "JUMPI taken to a bad place", "6001600057", ExecutionStatus.InvalidJump },
        { "JUMP to a huge destination", "7f010000000000000000000000000000000000000000000000000000000000000056", ExecutionStatus.InvalidJump },
        { "MLOAD far away", "6401000000005100", ExecutionStatus.OutOfGas },
        { "MSTORE at 2^255", "5f7f800000000000000000000000000000000000000000000000000000000000000052", ExecutionStatus.OutOfGas },
        { "RETURN of a huge size", "7f10000000000000000000000000000000000000000000000000000000000000005ff3", ExecutionStatus.OutOfGas },
        { "RETURNDATACOPY with no return data", "60015f5f3e", ExecutionStatus.ReturnDataOutOfBounds },
        { "RETURNDATACOPY at offset 1 of nothing, size 0", "5f60015f3e", ExecutionStatus.ReturnDataOutOfBounds },
    };

    [Theory]
    [MemberData(nameof(BadCode))]
    public void Bad_code_halts_exceptionally_consuming_all_gas(string what, string hex, ExecutionStatus expected)
    {
        var result = Run(Hex.Decode(hex), gas: 100_000);
        Assert.True(expected == result.Status, $"{what}: expected {expected}, got {result.Status}");
        Assert.Equal(0, result.GasLeft);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Stack_overflow_at_1025_items()
    {
        var ok = new Bytecode();
        for (var i = 0; i < 1024; i++) ok.Op(Op.PUSH0);
        Assert.Equal(ExecutionStatus.Success, Run(ok).Status);

        var tooMany = new Bytecode();
        for (var i = 0; i < 1025; i++) tooMany.Op(Op.PUSH0);
        var result = Run(tooMany, gas: 100_000);
        Assert.Equal(ExecutionStatus.StackOverflow, result.Status);
        Assert.Equal(0, result.GasLeft);

        var dupOverflow = new Bytecode();
        for (var i = 0; i < 1024; i++) dupOverflow.Op(Op.PUSH0);
        Assert.Equal(ExecutionStatus.StackOverflow, Run(dupOverflow.Op(Op.DUP1), gas: 100_000).Status);
    }

    [Fact]
    public void Out_of_gas_on_the_last_instruction_consumes_everything()
    {
        var result = Run(new Bytecode().Push(1).Push(2).Op(Op.ADD), gas: 8);
        Assert.Equal(ExecutionStatus.OutOfGas, result.Status);
        Assert.Equal(0, result.GasLeft);
        Assert.Equal(ExecutionStatus.Success, Run(new Bytecode().Push(1).Push(2).Op(Op.ADD), gas: 9).Status);
    }

    [Fact]
    public void Running_off_the_end_stops_successfully()
    {
        var result = Run(Hex.Decode("6001"), gas: 10);
        Assert.Equal(ExecutionStatus.Success, result.Status);
        Assert.Equal(7, result.GasLeft);
        // A PUSH whose data runs past the end reads zeros.
        Assert.Equal(ExecutionStatus.Success, Run(Hex.Decode("7fff"), gas: 10).Status);
    }

    [Fact]
    public void Revert_keeps_the_unused_gas_and_the_output()
    {
        var result = Run(new Bytecode().Push(0xabcd).Push(0).Op(Op.MSTORE).Push(2).Push(30).Op(Op.REVERT), gas: 1000);
        Assert.Equal(ExecutionStatus.Revert, result.Status);
        Assert.Equal(Hex.Decode("abcd"), result.Output);
        Assert.Equal(1000 - (3 + 3 + 3 + 3 + 3 + 3), result.GasLeft);
    }
}
