namespace Thalamus.Dlx.Tests;

/// <summary>Gas is charged per instruction class, and a machine runs out exactly in front of the instruction that does not fit.</summary>
public class GasTests
{
    [Fact]
    public void Each_class_costs_its_scheduled_gas()
    {
        var m = TestPrograms.Run("addi r1, r0, 1\nlw r2, 0(r29)\nbeqz r0, next\nnext: movi2fp f1, r1\nmult f2, f1, f1\ndivu f3, f1, f1\naddf f4, f1, f1\nmultf f4, f1, f1\ndivf f4, f1, f1\ntrap 0",
            m => m.SetRegister(29, 0x2000));
        long expected = DlxGasSchedule.Alu + DlxGasSchedule.Memory + DlxGasSchedule.Branch + DlxGasSchedule.Alu + DlxGasSchedule.IntMultiply
            + DlxGasSchedule.IntDivide + DlxGasSchedule.FloatOp + DlxGasSchedule.FloatMultiply + DlxGasSchedule.FloatDivide + DlxGasSchedule.Trap;
        Assert.Equal(expected, m.GasUsed);
        Assert.Equal(10, m.Instructions);
    }

    [Fact]
    public void Io_traps_add_their_per_byte_cost()
    {
        var m = TestPrograms.Run("addi r1, r0, msg\naddi r2, r0, 5\ntrap 3\ntrap 0", data: "msg: .ascii \"hello\"");
        Assert.Equal(2 * DlxGasSchedule.Alu + 2 * DlxGasSchedule.Trap + 5 * DlxGasSchedule.IoPerByte, m.GasUsed);
    }

    /// <summary>
    /// For every gas limit from 0 to what the program needs, the machine stops with the largest prefix of
    /// instructions that fits: gas used ≤ limit, and the next instruction (with its trap bytes) would not fit.
    /// </summary>
    [Theory]
    [InlineData("fibonacci")]
    [InlineData("factorial")]
    [InlineData("storage_counter")]
    public void Out_of_gas_stops_exactly_in_front_of_the_instruction_that_does_not_fit(string sample)
    {
        var image = TestPrograms.Sample(sample);
        var inputs = TestPrograms.SampleInputs(sample);
        // Gas used after each instruction, by single steps.
        var stepper = DlxMachine.Load(image, inputs);
        var after = new List<long> { 0 };
        while (stepper.Step().Status == DlxStatus.Paused) after.Add(stepper.GasUsed);
        Assert.Equal(DlxStatus.Halted, stepper.Status);
        after.Add(stepper.GasUsed);
        long total = stepper.GasUsed;

        for (long limit = 0; limit <= total; limit++)
        {
            var m = DlxMachine.Load(image, inputs, new DlxMachineOptions { GasLimit = limit });
            m.Run();
            if (limit == total)
            {
                Assert.Equal(DlxStatus.Halted, m.Status);
                continue;
            }
            Assert.Equal(DlxStatus.OutOfGas, m.Status);
            int executed = (int)m.Instructions;
            Assert.Equal(after[executed], m.GasUsed);
            Assert.True(m.GasUsed <= limit);
            Assert.True(after[executed + 1] > limit, $"limit {limit}: stopped after {executed} instructions though the next fits");
        }
    }

    [Fact]
    public void A_budget_smaller_than_the_next_instruction_makes_no_progress()
    {
        var m = DlxMachine.Load(TestPrograms.Snippet("trap 0"));
        var result = m.Run(new DlxRunLimits(MaxGas: DlxGasSchedule.Trap - 1));
        Assert.Equal((DlxStatus.Paused, 0L, 0L), (result.Status, result.Instructions, result.Gas));
        Assert.Equal(DlxStatus.Halted, m.Run(new DlxRunLimits(MaxGas: DlxGasSchedule.Trap)).Status);
    }

    [Fact]
    public void Out_of_gas_is_final()
    {
        var m = DlxMachine.Load(TestPrograms.Snippet("addi r1, r0, 1\naddi r1, r1, 1\ntrap 0"), [], new DlxMachineOptions { GasLimit = 1 });
        Assert.Equal(DlxStatus.OutOfGas, m.Run().Status);
        Assert.Equal(1, m.GetRegister(1));
        Assert.Equal(4u, m.Pc);
        Assert.Equal(0, m.Run().Instructions);
    }

    [Fact]
    public void A_run_budget_pauses_and_the_next_run_continues()
    {
        var image = TestPrograms.Sample("fibonacci");
        var whole = TestPrograms.RunToEnd(image, []);
        var m = DlxMachine.Load(image);
        // 17 gas per run: more than any single instruction costs here (a TRAP printing two digits costs 12).
        int runs = 0;
        while (m.Run(new DlxRunLimits(MaxGas: 17)).Status == DlxStatus.Paused)
        {
            runs++;
            Assert.True(runs <= whole.GasUsed, "no progress");
        }
        Assert.Equal(DlxStatus.Halted, m.Status);
        Assert.True(runs >= whole.GasUsed / 17 - 1);
        Assert.Equal(whole.ComputeStateHash(), m.ComputeStateHash());
    }
}
