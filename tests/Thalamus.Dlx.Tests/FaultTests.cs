namespace Thalamus.Dlx.Tests;

/// <summary>Every fault: the machine stops on the faulting instruction, which has no effect and costs nothing.</summary>
public class FaultTests
{
    private static void AssertFault(string body, DlxFault fault, uint pc, Action<DlxMachine>? setup = null, string data = "", DlxMachineOptions? options = null)
    {
        var m = TestPrograms.Run(body, setup, data, options);
        Assert.Equal(DlxStatus.Faulted, m.Status);
        Assert.Equal(fault, m.Fault);
        Assert.Equal(pc, m.Pc);
        // Gas and instruction count cover exactly the instructions before the faulting one.
        Assert.Equal(pc / 4, (uint)m.Instructions);
        // A faulted machine does not run again.
        var again = m.Run();
        Assert.Equal(0, again.Instructions);
        Assert.Equal(DlxStatus.Faulted, again.Status);
    }

    [Fact]
    public void Signed_add_overflow() =>
        AssertFault("lhi r1, 0x7fff\nori r1, r1, 0xffff\naddi r2, r1, 1\ntrap 0", DlxFault.Overflow, 8);

    [Fact]
    public void Signed_sub_overflow() =>
        AssertFault("lhi r1, 0x8000\nsubi r2, r1, 1\ntrap 0", DlxFault.Overflow, 4);

    [Fact]
    public void Unsigned_add_wraps_instead()
    {
        var m = TestPrograms.Run("lhi r1, 0x7fff\nori r1, r1, 0xffff\naddui r2, r1, 1\ntrap 0");
        Assert.Equal(int.MinValue, m.GetRegister(2));
    }

    [Theory]
    [InlineData("lw r2, 2(r1)")]
    [InlineData("sw 1(r1), r2")]
    [InlineData("lh r2, 1(r1)")]
    [InlineData("sh 3(r1), r2")]
    [InlineData("lhu r2, 1(r1)")]
    [InlineData("lf f2, 2(r1)")]
    [InlineData("sf 2(r1), f2")]
    [InlineData("ld f2, 4(r1)")]
    [InlineData("sd 4(r1), f2")]
    public void Misaligned_access(string access) =>
        AssertFault($"addi r1, r0, 0x2000\n{access}\ntrap 0", DlxFault.MisalignedAccess, 4);

    [Fact]
    public void Division_by_zero() =>
        AssertFault("movi2fp f1, r0\nmovi2fp f2, r0\ndivu f3, f2, f1\ntrap 0", DlxFault.DivisionByZero, 8);

    [Theory]
    [InlineData("lb r2, 0(r1)")]
    [InlineData("sb 0(r1), r2")]
    [InlineData("lw r2, -4(r1)")]
    [InlineData("sw 0(r1), r2")]
    [InlineData("ld f2, 0(r1)")]
    public void Out_of_bounds_memory(string access) =>
        AssertFault($"lhi r1, 0x10\n{access}\ntrap 0", DlxFault.OutOfBounds, 4, options: new DlxMachineOptions { MemoryLimit = 0x10000 });

    [Fact]
    public void The_last_bytes_below_the_limit_are_usable()
    {
        var m = TestPrograms.Run("lhi r1, 1\nsw -4(r1), r1\nlw r2, -4(r1)\nsb -1(r1), r1\ntrap 0", options: new DlxMachineOptions { MemoryLimit = 0x10000 });
        Assert.Equal(DlxStatus.Halted, m.Status);
        Assert.Equal(0x10000, m.GetRegister(2));
    }

    [Fact]
    public void Stack_pointer_starts_at_the_top_of_memory()
    {
        var m = TestPrograms.Run("subi r29, r29, 4\nsw 0(r29), r29\ntrap 0", options: new DlxMachineOptions { MemoryLimit = 0x8000 });
        Assert.Equal(0x8000 - 4, m.GetRegister(29));
        Assert.Equal(DlxStatus.Halted, m.Status);
    }

    [Fact]
    public void Illegal_instruction() => AssertFault("nop\n.word 0xfc000000\ntrap 0", DlxFault.IllegalInstruction, 4);

    [Fact]
    public void Double_instruction_with_an_odd_register_is_illegal() =>
        // addd f1, f2, f4 cannot be assembled; its word can still be planted.
        AssertFault(".word 0x04440804\ntrap 0", DlxFault.IllegalInstruction, 0);

    [Fact]
    public void Unknown_trap_number() => AssertFault("trap 99\ntrap 0", DlxFault.InvalidTrap, 0);

    [Fact]
    public void Jump_register_outside_the_code() =>
        AssertFault("lhi r1, 1\njr r1\ntrap 0", DlxFault.BadJumpTarget, 4);

    [Fact]
    public void Jump_register_to_a_misaligned_address() =>
        AssertFault("addi r1, r0, 2\njalr r1\ntrap 0", DlxFault.BadJumpTarget, 4, setup: null);

    [Fact]
    public void Static_jump_outside_the_code() => AssertFault("j 0x100\ntrap 0", DlxFault.BadJumpTarget, 0);

    [Fact]
    public void Running_off_the_end_of_the_code()
    {
        var m = TestPrograms.Run("nop\nnop");
        Assert.Equal(DlxFault.BadJumpTarget, m.Fault);
        Assert.Equal(8u, m.Pc);
        Assert.Equal(2, m.Instructions);
    }

    [Fact]
    public void Stores_into_the_code_are_refused() =>
        AssertFault("addi r1, r0, 8\nsw 0(r1), r0\ntrap 0", DlxFault.WriteToCode, 4);

    [Fact]
    public void Faulting_instruction_leaves_registers_alone()
    {
        var m = TestPrograms.Run("lhi r1, 0x8000\nsub r3, r1, r2\ntrap 0", m => { m.SetRegister(2, 1); m.SetRegister(3, 77); });
        Assert.Equal(DlxFault.Overflow, m.Fault);
        Assert.Equal(77, m.GetRegister(3));
    }

    [Fact]
    public void Output_beyond_the_memory_limit_is_a_resource_fault()
    {
        // Writes 4 KiB per trap, more than the 8 KiB memory limit in total.
        var m = TestPrograms.Run("addi r2, r0, 4096\nloop: add r1, r0, r0\ntrap 3\nj loop", options: new DlxMachineOptions { MemoryLimit = 0x2000 });
        Assert.Equal(DlxFault.ResourceLimit, m.Fault);
        Assert.Equal(0x2000, m.Output.Length);
    }
}
