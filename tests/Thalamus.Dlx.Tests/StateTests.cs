using FsCheck;
using FsCheck.Fluent;

namespace Thalamus.Dlx.Tests;

public class StateTests
{
    private static DlxMachine PausedSample(string name, long steps)
    {
        var m = DlxMachine.Load(TestPrograms.Sample(name), TestPrograms.SampleInputs(name));
        m.Run(new DlxRunLimits(MaxInstructions: steps));
        return m;
    }

    [Theory]
    [InlineData("sort", 500)]
    [InlineData("float", 7000)]
    [InlineData("storage_counter", 1000)]
    [InlineData("sha256", 0)]
    public void Restoring_a_saved_state_gives_back_the_same_bytes_and_hash(string sample, long steps)
    {
        var m = PausedSample(sample, steps);
        var state = m.SaveState();
        var restored = DlxMachine.Restore(state);
        Assert.Equal(state, restored.SaveState());
        Assert.Equal(m.ComputeStateHash(), restored.ComputeStateHash());
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(state), m.ComputeStateHash());
        Assert.Equal(m.Pc, restored.Pc);
        Assert.Equal(m.GasUsed, restored.GasUsed);
        Assert.Equal(m.Status, restored.Status);
        for (int i = 0; i < 32; i++)
        {
            Assert.Equal(m.GetRegister(i), restored.GetRegister(i));
            Assert.Equal(m.GetFloatRegister(i), restored.GetFloatRegister(i));
        }
    }

    [Fact]
    public void The_state_is_canonical_whatever_the_history()
    {
        const string program = "lhi r1, 2\nsw 0(r1), r2\nsw 0(r1), r0\nadd r2, r0, r0\ntrap 0";
        var a = TestPrograms.Run(program, m => m.SetRegister(2, 99)); // stored 99, then zero, then cleared r2
        var c = TestPrograms.Run(program);                              // only ever zeros
        Assert.Equal(a.SaveState(), c.SaveState());
        // A page that exists but holds only zeros is not part of the state.
        var b = DlxMachine.Restore(a.SaveState());
        Assert.True(a.Memory.AllocatedPages > b.Memory.AllocatedPages);
        Assert.Equal(a.SaveState(), b.SaveState());
    }

    [Fact]
    public void Every_truncated_state_is_refused_with_a_state_error()
    {
        var state = PausedSample("string", 300).SaveState();
        for (int n = 0; n < state.Length; n++)
            Assert.Throws<DlxStateException>(() => DlxMachine.Restore(state.AsSpan(0, n)));
        Assert.Throws<DlxStateException>(() => DlxMachine.Restore([.. state, 0]));
    }

    [Fact]
    public void A_damaged_state_is_refused_or_still_canonical()
    {
        var state = PausedSample("sort", 400).SaveState();
        Prop.ForAll(Arb.From(Gen.Choose(0, state.Length - 1)), Arb.From(Gen.Choose(1, 255)), (at, flip) =>
        {
            var damaged = state.ToArray();
            damaged[at] ^= (byte)flip;
            try
            {
                var m = DlxMachine.Restore(damaged);
                return m.SaveState().AsSpan().SequenceEqual(damaged); // a different but valid state: still canonical
            }
            catch (DlxStateException)
            {
                return true;
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Specific_malformations_have_clear_messages()
    {
        var state = PausedSample("fibonacci", 10).SaveState();
        byte[] With(int at, byte value) { var b = state.ToArray(); b[at] = value; return b; }
        Assert.Contains("DLXS", Assert.Throws<DlxStateException>(() => DlxMachine.Restore(With(0, 0))).Message);
        Assert.Contains("version", Assert.Throws<DlxStateException>(() => DlxMachine.Restore(With(4, 2))).Message);
        Assert.Contains("status", Assert.Throws<DlxStateException>(() => DlxMachine.Restore(With(5, 200))).Message);
        Assert.Contains("fault", Assert.Throws<DlxStateException>(() => DlxMachine.Restore(With(6, 1))).Message);
        Assert.Contains("FP status", Assert.Throws<DlxStateException>(() => DlxMachine.Restore(With(7, 2))).Message);
    }
}
