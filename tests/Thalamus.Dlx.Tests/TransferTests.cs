using FsCheck;
using FsCheck.Fluent;

namespace Thalamus.Dlx.Tests;

/// <summary>
/// Execution transfer: stop anywhere, serialize, resume on a fresh machine instance; the final output
/// and state hash must equal those of an uninterrupted run.
/// </summary>
public class TransferTests
{
    private static (byte[] Output, byte[] Hash, long Instructions) Uninterrupted(DlxProgramImage image, byte[][] inputs)
    {
        var m = TestPrograms.RunToEnd(image, inputs);
        Assert.Equal(DlxStatus.Halted, m.Status);
        return (m.Output.ToArray(), m.ComputeStateHash(), m.Instructions);
    }

    /// <summary>Runs with transfers after the given instruction counts (each on a new machine from the serialized state).</summary>
    private static DlxMachine RunWithTransfers(DlxProgramImage image, byte[][] inputs, IEnumerable<long> budgets)
    {
        var m = DlxMachine.Load(image, inputs);
        foreach (long budget in budgets)
        {
            m.Run(new DlxRunLimits(MaxInstructions: budget));
            m = DlxMachine.Restore(m.SaveState());
        }
        m.Run();
        return m;
    }

    [Theory]
    [InlineData("factorial")]
    [InlineData("fibonacci")]
    [InlineData("sort")]
    [InlineData("string")]
    [InlineData("storage_counter")]
    [InlineData("checkpoint")]
    [InlineData("sha256")]
    public void Transfer_at_every_split_point_gives_the_same_result_as_one_run(string sample)
    {
        var image = TestPrograms.Sample(sample);
        var inputs = TestPrograms.SampleInputs(sample);
        var (output, hash, total) = Uninterrupted(image, inputs);
        // One machine walks through the program; at every instruction boundary its state goes to a fresh machine that finishes.
        var walker = DlxMachine.Load(image, inputs);
        for (long k = 0; k <= total; k++)
        {
            var resumed = DlxMachine.Restore(walker.SaveState());
            resumed.Run();
            Assert.Equal(DlxStatus.Halted, resumed.Status);
            Assert.True(output.AsSpan().SequenceEqual(resumed.Output), $"{sample}: output differs after a transfer at instruction {k}");
            Assert.True(hash.AsSpan().SequenceEqual(resumed.ComputeStateHash()), $"{sample}: state hash differs after a transfer at instruction {k}");
            walker.Run(new DlxRunLimits(MaxInstructions: 1));
        }
    }

    [Fact]
    public void Transfer_at_every_gas_split_point_gives_the_same_result()
    {
        var image = TestPrograms.Sample("fibonacci");
        var (output, hash, _) = Uninterrupted(image, []);
        long gas = TestPrograms.RunToEnd(image, []).GasUsed;
        for (long g = 0; g <= gas; g++)
        {
            var m = DlxMachine.Load(image);
            m.Run(new DlxRunLimits(MaxGas: g));
            var resumed = DlxMachine.Restore(m.SaveState());
            resumed.Run();
            Assert.Equal(output, resumed.Output.ToArray());
            Assert.Equal(hash, resumed.ComputeStateHash());
        }
    }

    [Fact]
    public void Any_number_of_transfers_at_random_points_gives_the_same_result()
    {
        var image = TestPrograms.Sample("sort");
        var numbers = Gen.ArrayOf(Gen.Choose(-100000, 100000)).Select(a => string.Join(' ', a));
        var splits = Gen.ArrayOf(Gen.Choose(0, 400).Select(x => (long)x));
        Prop.ForAll(Arb.From(numbers), Arb.From(splits), (text, budgets) =>
        {
            byte[][] inputs = [TestPrograms.Text(text)];
            var (output, hash, _) = Uninterrupted(image, inputs);
            var m = RunWithTransfers(image, inputs, budgets);
            return m.Status == DlxStatus.Halted && m.Output.SequenceEqual(output) && m.ComputeStateHash().AsSpan().SequenceEqual(hash);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Yields_are_transfer_points()
    {
        var image = TestPrograms.Sample("checkpoint");
        var (output, hash, _) = Uninterrupted(image, []);
        var m = DlxMachine.Load(image);
        int transfers = 0;
        while (m.Run(new DlxRunLimits(StopAtYield: true)).Status == DlxStatus.Yielded)
        {
            transfers++;
            m = DlxMachine.Restore(m.SaveState()); // e.g. on another chain
        }
        Assert.Equal(10, transfers);
        Assert.Equal(output, m.Output.ToArray());
        Assert.Equal(hash, m.ComputeStateHash());
    }

    [Fact]
    public void A_faulting_program_faults_identically_after_a_transfer()
    {
        var image = TestPrograms.Snippet("addi r1, r0, 3\nloop: subi r1, r1, 1\nbnez r1, loop\nlhi r2, 0x8000\nsubi r2, r2, 1\ntrap 0");
        var whole = TestPrograms.RunToEnd(image, []);
        Assert.Equal(DlxFault.Overflow, whole.Fault);
        for (long k = 0; k <= whole.Instructions; k++)
        {
            var m = RunWithTransfers(image, [], [k]);
            Assert.Equal(whole.ComputeStateHash(), m.ComputeStateHash());
        }
    }
}
