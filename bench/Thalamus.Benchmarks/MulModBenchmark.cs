using System.Diagnostics;
using System.Runtime.CompilerServices;
using Thalamus.Core;

namespace Thalamus.Benchmarks;

/// <summary>
/// `-- mulmod [--rounds N]`: MULMOD by a repeated full-width modulus (weierstrudel's shape: a chain
/// of products mod one prime): the reciprocal path MULMOD takes now (with the caller's
/// <see cref="ModulusCache"/>, as the EVM passes it), against the Barrett path it replaced (its constant
/// computed once, outside the timing) and the division path before that, in one process, alternating
/// rounds so all see the same machine load. Prints the median ns per MULMOD.
/// </summary>
public static class MulModBenchmark
{
    private const int ChainLength = 2_000;

    public static int Run(string[] args)
    {
        int rounds = 1001;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--rounds" && i + 1 < args.Length) rounds = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
        }

        (string Name, UInt256 Modulus)[] moduli =
        [
            ("bn254 prime", UInt256.Parse("0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47")),
            ("secp256k1 prime", UInt256.Parse("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f")),
            ("2^256 - 1", UInt256.MaxValue),
        ];
        var start = new UInt256(0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210, 0x0F1E_2D3C_4B5A_6978, 0x10E1_D2C3_B4A5_9687);
        var factor = new UInt256(0x9E37_79B9_7F4A_7C15, 0xBF58_476D_1CE4_E5B9, 0x94D0_49BB_1331_11EB, 0x16E8_FEB8_6659_FD93);

        Console.WriteLine($"MULMOD, chains of {ChainLength:N0} dependent products, {rounds} alternating rounds, ns per MULMOD");
        Console.WriteLine($"{"modulus",-18} {"division",9} {"barrett",9} {"recip.",9} {"vs barrett",11}   p10: division, barrett, recip., vs barrett");
        foreach ((string name, UInt256 m) in moduli)
        {
            UInt256.BarrettConstant(in m, out ulong mu0, out ulong mu1, out ulong mu2, out ulong mu3, out ulong mu4);
            var barrettConstant = new BarrettMu(mu0, mu1, mu2, mu3, mu4);
            var cache = new ModulusCache();
            // The three paths must agree before their times mean anything.
            UInt256 expected = ChainByDivision(start, factor, m);
            if (ChainBarrett(start, factor, m, in barrettConstant) != expected || ChainReciprocal(start, factor, m, ref cache) != expected)
            {
                Console.Error.WriteLine($"{name}: the paths disagree");
                return 1;
            }
            var division = new double[rounds];
            var barrett = new double[rounds];
            var reciprocal = new double[rounds];
            for (int r = 0; r < rounds; r++)
            {
                long t0 = Stopwatch.GetTimestamp();
                ChainByDivision(start, factor, m);
                division[r] = PerMulMod(t0);
                t0 = Stopwatch.GetTimestamp();
                ChainBarrett(start, factor, m, in barrettConstant);
                barrett[r] = PerMulMod(t0);
                t0 = Stopwatch.GetTimestamp();
                ChainReciprocal(start, factor, m, ref cache);
                reciprocal[r] = PerMulMod(t0);
            }
            // The machine is shared: the median, and the 10th percentile (the runs least disturbed).
            double d = Percentile(division, 0.5), b = Percentile(barrett, 0.5), n = Percentile(reciprocal, 0.5);
            double d10 = Percentile(division, 0.1), b10 = Percentile(barrett, 0.1), n10 = Percentile(reciprocal, 0.1);
            Console.WriteLine($"{name,-18} {d,9:F1} {b,9:F1} {n,9:F1} {b / n,10:F2}x   p10: {d10,7:F1} {b10,7:F1} {n10,7:F1} {b10 / n10,6:F2}x");
        }
        return 0;
    }

    private readonly record struct BarrettMu(ulong Mu0, ulong Mu1, ulong Mu2, ulong Mu3, ulong Mu4);

    private static double PerMulMod(long t0) => Stopwatch.GetElapsedTime(t0).TotalNanoseconds / ChainLength;

    // Each path in its own fully optimized loop, so none runs in a tier-0 or OSR body.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static UInt256 ChainReciprocal(UInt256 x, UInt256 factor, UInt256 m, ref ModulusCache cache)
    {
        for (int i = 0; i < ChainLength; i++) UInt256.MulMod(in x, in factor, in m, ref cache, out x);
        return x;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static UInt256 ChainBarrett(UInt256 x, UInt256 factor, UInt256 m, in BarrettMu mu)
    {
        for (int i = 0; i < ChainLength; i++) UInt256.MulModBarrett(in x, in factor, in m, mu.Mu0, mu.Mu1, mu.Mu2, mu.Mu3, mu.Mu4, out x);
        return x;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static UInt256 ChainByDivision(UInt256 x, UInt256 factor, UInt256 m)
    {
        for (int i = 0; i < ChainLength; i++) UInt256.MulModByDivision(in x, in factor, in m, out x);
        return x;
    }

    private static double Percentile(double[] values, double p)
    {
        double[] sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[(int)(p * (sorted.Length - 1))];
    }

}
