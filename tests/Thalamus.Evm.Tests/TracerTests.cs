using System.Text.Json;
using Xunit;

namespace Thalamus.Evm.Tests;

/// <summary>The EIP-3155 tracer's lines.</summary>
public sealed class TracerTests
{
    [Fact]
    public void Writes_one_line_per_instruction_with_its_gas_cost_and_stack()
    {
        var writer = new StringWriter();
        var tracer = new Eip3155Tracer(writer);
        var code = new Bytecode().Push(1).Push(2).Op(Op.ADD).Push(0).Op(Op.MSTORE, Op.STOP);
        var result = new CodeRunner(code, tracer).Run([], 1000);
        tracer.OnTransactionEnd(result.Output, 1000 - result.GasLeft, result.Error);

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(7, lines.Length);
        string[] names = ["PUSH1", "PUSH1", "ADD", "PUSH1", "MSTORE", "STOP"];
        int[] pcs = [0, 2, 4, 5, 7, 8];
        string[] costs = ["0x3", "0x3", "0x3", "0x3", "0x6", "0x0"];
        for (var i = 0; i < names.Length; i++)
        {
            Assert.Equal(names[i], lines[i].GetProperty("opName").GetString());
            Assert.Equal(pcs[i], lines[i].GetProperty("pc").GetInt32());
            Assert.Equal(costs[i], lines[i].GetProperty("gasCost").GetString());
            Assert.Equal(1, lines[i].GetProperty("depth").GetInt32());
        }
        Assert.Equal("0x3e8", lines[0].GetProperty("gas").GetString());
        Assert.Equal(["0x1", "0x2"], lines[2].GetProperty("stack").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(32, lines[5].GetProperty("memSize").GetInt32());
        Assert.Equal("0x12", lines[6].GetProperty("gasUsed").GetString());
    }

    [Fact]
    public void Marks_the_failing_instruction_with_its_error()
    {
        var writer = new StringWriter();
        var result = new CodeRunner([Op.PUSH0, Op.JUMP], new Eip3155Tracer(writer)).Run([], 1000);
        Assert.Equal(ExecutionStatus.InvalidJump, result.Status);
        var last = JsonDocument.Parse(writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        Assert.Equal("JUMP", last.GetProperty("opName").GetString());
        Assert.Equal("invalid jump destination", last.GetProperty("error").GetString());
    }
}
