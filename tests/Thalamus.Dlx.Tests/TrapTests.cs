using System.Text;

namespace Thalamus.Dlx.Tests;

/// <summary>The I/O traps of docs/dlx.md.</summary>
public class TrapTests
{
    [Fact]
    public void Input_count_and_read_input()
    {
        var m = TestPrograms.Run(
            "trap 1\nadd r10, r1, r0\n" +
            "addi r1, r0, 1\naddi r2, r0, buf\naddi r3, r0, 3\ntrap 2\nadd r11, r1, r0\n" +  // input 1, at most 3 bytes
            "addi r1, r0, 2\ntrap 2\nadd r12, r1, r0\n" +                                     // no input 2
            "addi r1, r0, buf\naddi r2, r0, 4\ntrap 3\ntrap 0",
            data: "buf: .ascii \"....\"", inputs: [TestPrograms.Text("first"), TestPrograms.Text("second")]);
        Assert.Equal(2, m.GetRegister(10));
        Assert.Equal(6, m.GetRegister(11)); // the full length, though only 3 bytes were copied
        Assert.Equal(-1, m.GetRegister(12));
        Assert.Equal("sec.", TestPrograms.OutputText(m));
    }

    [Fact]
    public void Print_int_char_and_double()
    {
        var m = TestPrograms.Run("addi r1, r0, -42\ntrap 7\naddi r1, r0, 'x'\ntrap 9\nld f0, d\ntrap 8\ntrap 0", data: "d: .double 0.1");
        Assert.Equal("-42x0.1", TestPrograms.OutputText(m));
    }

    [Fact]
    public void Storage_reads_and_writes_and_deletes()
    {
        var storage = new Dictionary<uint, byte[]> { [5] = Encoding.ASCII.GetBytes("hello") };
        var image = TestPrograms.Snippet(
            "addi r1, r0, 5\naddi r2, r0, buf\naddi r3, r0, 16\ntrap 4\nadd r10, r1, r0\n" +   // read key 5
            "addi r1, r0, 7\naddi r2, r0, buf\naddi r3, r0, 2\ntrap 5\n" +                     // key 7 = "he"
            "addi r1, r0, 5\nadd r3, r0, r0\ntrap 5\n" +                                       // delete key 5
            "addi r1, r0, 9\naddi r2, r0, buf\naddi r3, r0, 16\ntrap 4\nadd r11, r1, r0\ntrap 0", // absent key 9
            data: "buf: .space 16");
        var m = DlxMachine.Load(image, [], storage: storage);
        m.Run();
        Assert.Equal(DlxStatus.Halted, m.Status);
        Assert.Equal(5, m.GetRegister(10));
        Assert.Equal(0, m.GetRegister(11));
        Assert.False(m.Storage.ContainsKey(5));
        Assert.Equal("he", Encoding.ASCII.GetString(m.Storage[7]));
        Assert.Equal("hello", Encoding.ASCII.GetString(storage[5])); // the caller's dictionary is not touched
    }

    [Fact]
    public void Yield_is_a_no_op_unless_asked_to_stop()
    {
        var image = TestPrograms.Snippet("addi r1, r0, 1\ntrap 6\naddi r1, r1, 1\ntrap 0");
        var through = DlxMachine.Load(image);
        through.Run();
        Assert.Equal(DlxStatus.Halted, through.Status);
        Assert.Equal(2, through.GetRegister(1));

        var stopping = DlxMachine.Load(image);
        var first = stopping.Run(new DlxRunLimits(StopAtYield: true));
        Assert.Equal(DlxStatus.Yielded, first.Status);
        Assert.Equal(8u, stopping.Pc); // after the TRAP
        Assert.Equal(1, stopping.GetRegister(1));
        stopping.Run(new DlxRunLimits(StopAtYield: true));
        Assert.Equal(DlxStatus.Halted, stopping.Status);
        Assert.Equal(through.ComputeStateHash(), stopping.ComputeStateHash());
    }

    [Fact]
    public void Trap_buffers_outside_memory_fault_and_cost_nothing_extra()
    {
        var m = TestPrograms.Run("lhi r1, 0x7fff\naddi r2, r0, 8\ntrap 3\ntrap 0", options: new DlxMachineOptions { MemoryLimit = 0x10000 });
        Assert.Equal(DlxFault.OutOfBounds, m.Fault);
        Assert.Equal(8u, m.Pc);
        Assert.Equal(2 * DlxGasSchedule.Alu, m.GasUsed);
    }

    [Fact]
    public void Reading_input_into_the_code_is_refused()
    {
        var m = TestPrograms.Run("add r1, r0, r0\nadd r2, r0, r0\naddi r3, r0, 4\ntrap 2\ntrap 0", inputs: [TestPrograms.Text("abcd")]);
        Assert.Equal(DlxFault.WriteToCode, m.Fault);
    }
}
