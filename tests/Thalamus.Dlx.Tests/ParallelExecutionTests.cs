using System.Text;

namespace Thalamus.Dlx.Tests;

public class ParallelExecutionTests
{
    [Fact]
    public void Independent_segments_run_in_parallel_and_join_like_a_synchronous_run()
    {
        var image = TestPrograms.Sample("parallel_primes");
        Assert.Equal(4, image.SegmentEntries.Count);
        var sync = DlxParallelExecutor.Run(image, [], mode: DlxExecutionMode.Synchronous);
        var async = DlxParallelExecutor.Run(image, [], mode: DlxExecutionMode.Asynchronous);
        Assert.True(sync.Succeeded, sync.Error);
        Assert.True(async.Succeeded, async.Error);
        Assert.Equal(sync.Output, async.Output);
        Assert.Equal(sync.CombinedHash, async.CombinedHash);
        Assert.Equal(sync.TotalGas, async.TotalGas);
        Assert.Equal(Enumerable.Range(0, 4), async.Segments.Select(s => s.Index));
        // The segments' counts add up to the number of primes below 20000, counted here independently.
        int primes = Enumerable.Range(2, 19998).Count(n => Enumerable.Range(2, (int)Math.Sqrt(n) - 1).All(d => n % d != 0));
        Assert.Equal($"primes below 20000: {primes}\n", Encoding.ASCII.GetString(async.Output));
        int sum = async.Segments.Sum(s => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(s.Output));
        Assert.Equal(primes, sum);
    }

    [Fact]
    public void The_result_does_not_depend_on_scheduling()
    {
        var image = TestPrograms.Sample("parallel_primes");
        var first = DlxParallelExecutor.Run(image, []);
        for (int i = 0; i < 3; i++) Assert.Equal(first.CombinedHash, DlxParallelExecutor.Run(image, []).CombinedHash);
    }

    [Fact]
    public void Segments_changing_the_same_storage_key_are_not_independent()
    {
        const string write = "addi r1, r0, 1\naddi r2, r0, v\naddi r3, r0, 4\ntrap 5\ntrap 0";
        var image = DlxAssembler.Assemble($".segment a, b\n.data\nv: .word 7\n.text\nmain: trap 0\na: {write.Replace("\n", "\n   ")}\nb: {write.Replace("\n", "\n   ")}");
        var result = DlxParallelExecutor.Run(image, []);
        Assert.False(result.Succeeded);
        Assert.Contains("segments 1 and 2 both change storage key 1", result.Error);
    }

    [Fact]
    public void Storage_changes_of_segments_are_merged_for_the_join()
    {
        var image = DlxAssembler.Assemble("""
            .segment a, b
            .data
            v: .word 7
            buf: .word 0
            .text
            main: addi r1, r0, 2          ; the join reads key 2 (written by segment b)
                  addi r2, r0, buf
                  addi r3, r0, 4
                  trap 4
                  lw r1, buf
                  trap 7
                  trap 0
            a:    addi r1, r0, 1
                  addi r2, r0, v
                  addi r3, r0, 4
                  trap 5
                  trap 0
            b:    addi r1, r0, 2
                  addi r2, r0, v
                  addi r3, r0, 4
                  trap 5
                  trap 0
            """);
        var result = DlxParallelExecutor.Run(image, []);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("7", Encoding.ASCII.GetString(result.Output));
        Assert.Equal([1u, 2u], result.Storage.Keys.Order());
    }

    [Fact]
    public void A_failing_segment_stops_the_join()
    {
        var image = DlxAssembler.Assemble(".segment bad\nmain: trap 0\nbad: trap 77");
        var result = DlxParallelExecutor.Run(image, []);
        Assert.False(result.Succeeded);
        Assert.Null(result.Join);
        Assert.Contains("segment 1", result.Error);
        Assert.Contains("InvalidTrap", result.Error);
    }

    [Fact]
    public void A_program_without_segments_is_just_its_join()
    {
        var image = TestPrograms.Sample("fibonacci");
        var result = DlxParallelExecutor.Run(image, []);
        Assert.Equal(TestPrograms.RunToEnd(image, []).Output.ToArray(), result.Output);
    }
}
