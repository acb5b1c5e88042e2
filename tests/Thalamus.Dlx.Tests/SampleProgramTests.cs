using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Thalamus.Dlx.Tests;

/// <summary>The corpus in samples/dlx: each program's output against its .expected file, and against C# references.</summary>
public class SampleProgramTests
{
    public static TheoryData<string> Samples() => new(TestPrograms.SampleNames);

    [Fact]
    public void The_corpus_has_the_required_programs()
    {
        var names = TestPrograms.SampleNames.ToHashSet();
        foreach (var required in new[] { "factorial", "fibonacci", "sort", "string", "sha256", "float", "parallel_primes", "checkpoint" })
            Assert.Contains(required, names);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_sample_prints_its_expected_output(string sample)
    {
        var image = TestPrograms.Sample(sample);
        var inputs = TestPrograms.SampleInputs(sample);
        var expected = File.ReadAllBytes(Path.Combine(TestPrograms.SamplesDirectory, sample + ".expected"));
        var result = DlxParallelExecutor.Run(image, inputs);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(result.Output));
    }

    private static string Run(string sample, params string[] inputs)
    {
        var m = TestPrograms.RunToEnd(TestPrograms.Sample(sample), inputs.Select(TestPrograms.Text).ToArray());
        Assert.Equal(DlxStatus.Halted, m.Status);
        return TestPrograms.OutputText(m);
    }

    [Fact]
    public void Sha256_matches_the_framework_on_any_input()
    {
        var image = TestPrograms.Sample("sha256");
        var inputs = Gen.OneOf(Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()), Gen.Choose(50, 200).Select(n => new byte[n].Select((_, i) => (byte)(i * 7)).ToArray()));
        Prop.ForAll(Arb.From(inputs), input =>
        {
            var m = TestPrograms.RunToEnd(image, [input]);
            return TestPrograms.OutputText(m) == Convert.ToHexStringLower(SHA256.HashData(input)) + "\n";
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Sha256_block_boundaries()
    {
        var image = TestPrograms.Sample("sha256");
        foreach (int n in new[] { 0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000 })
        {
            var input = new byte[n].Select((_, i) => (byte)(n + i)).ToArray();
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(input)) + "\n", TestPrograms.OutputText(TestPrograms.RunToEnd(image, [input])));
        }
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([])) + "\n", TestPrograms.OutputText(TestPrograms.RunToEnd(image, [])));
    }

    [Fact]
    public void Sort_matches_the_framework()
    {
        var image = TestPrograms.Sample("sort");
        Prop.ForAll(Arb.From(Gen.ArrayOf(Gens.AnyInt)), numbers =>
        {
            string text = string.Join(" ", numbers);
            var sorted = numbers.Order().ToArray();
            var m = TestPrograms.RunToEnd(image, [TestPrograms.Text(text)]);
            return TestPrograms.OutputText(m) == string.Join(" ", sorted) + "\n";
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void String_routines_match_the_framework()
    {
        var printable = Gen.Choose(32, 126).Select(c => (char)c);
        Prop.ForAll(Arb.From(Gen.ArrayOf(printable).Select(c => new string(c))), s =>
        {
            string reversed = new(s.Reverse().ToArray());
            string expected = $"length: {s.Length}\nreversed: {reversed}\nupper: {s.ToUpperInvariant()}\npalindrome: {(s == reversed ? "yes" : "no")}\n";
            return Run("string", s) == expected;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Factorial_wraps_like_32_bit_arithmetic()
    {
        for (int n = 0; n <= 20; n++)
        {
            int product = 1;
            for (int k = 2; k <= n; k++) product = unchecked(product * k);
            Assert.Equal($"{n}! = {product}\n", Run("factorial", n.ToString()));
        }
    }

    [Fact]
    public void Fibonacci_for_every_length()
    {
        for (int n = 0; n <= 45; n++)
        {
            var fib = new List<long> { 0, 1 };
            while (fib.Count < n) fib.Add(fib[^1] + fib[^2]);
            Assert.Equal(string.Join(" ", fib.Take(n)) + "\n", Run("fibonacci", n.ToString()));
        }
        Assert.Equal(Run("fibonacci", "45"), Run("fibonacci", "1000")); // clamped: fib(47) does not fit in a word
    }

    [Fact]
    public void Float_sample_agrees_with_ieee_arithmetic_here()
    {
        double x = 1;
        for (int i = 0; i < 6; i++) x = 0.5 * (x + 2.0 / x);
        double pi = 0;
        for (int k = 0; k < 1000; k++) pi = k % 2 == 0 ? pi + 4.0 / (2 * k + 1) : pi - 4.0 / (2 * k + 1);
        double h = 0;
        for (int k = 1; k <= 100; k++) h += 1.0 / k;
        float a = 0.1f * 3f;
        string R(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        string expected =
            $"sqrt(2) ~ {R(x)}\npi ~ {R(pi)}\nH(100) = {R(h)}\n0.1f * 3 = {R(a)} (equal to 0.3f: {(a == 0.3f ? "yes" : "no")})\n" +
            $"trunc(1000 * sqrt(2)) = {(int)(1000 * x)}\ntrunc(-2.7) = -2\n1/0 = Infinity, 0/0 = NaN\npi approximation below 3.1416: {(pi < 3.1416 ? "yes" : "no")}\n";
        Assert.Equal(expected, Run("float"));
    }

    [Fact]
    public void Bench_checksum_matches_a_reference_implementation()
    {
        foreach (int n in new[] { 0, 1, 1000, 54321 })
        {
            uint x = 2463534242, checksum = 0;
            var table = new uint[256];
            for (int i = 0; i < n; i++)
            {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                int slot = (int)(x & 1020) >> 2;
                table[slot] += x;
                checksum += table[slot];
            }
            Assert.Equal($"{(int)checksum}\n", Run("bench", n.ToString()));
        }
    }

    [Fact]
    public void Storage_counter_counts_on_across_executions()
    {
        var image = TestPrograms.Sample("storage_counter");
        IReadOnlyDictionary<uint, byte[]> storage = new Dictionary<uint, byte[]>();
        for (int run = 1; run <= 3; run++)
        {
            var m = DlxMachine.Load(image, [], storage: storage);
            m.Run();
            Assert.Equal($"run #{run}\n", TestPrograms.OutputText(m));
            storage = m.Storage.ToDictionary();
            Assert.Equal(run, BinaryPrimitives.ReadInt32BigEndian(storage[1]));
        }
    }
}
