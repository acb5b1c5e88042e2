using BenchmarkDotNet.Attributes;
using Thalamus.Core;

namespace Thalamus.Benchmarks;

/// <summary>UInt256 arithmetic on full-width operands (ns/op); these are the EVM's hot instructions.</summary>
[MemoryDiagnoser]
public class UInt256Benchmarks
{
    // Operands with all limbs populated so no fast path short-circuits the full-width algorithms.
    private UInt256 _a = new(0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210, 0x0F1E_2D3C_4B5A_6978, 0xF0E1_D2C3_B4A5_9687);
    private UInt256 _b = new(0x9E37_79B9_7F4A_7C15, 0xBF58_476D_1CE4_E5B9, 0x94D0_49BB_1331_11EB, 0xD6E8_FEB8_6659_FD93);
    private UInt256 _divisor128 = new(0x9E37_79B9_7F4A_7C15, 0xBF58_476D_1CE4_E5B9);
    private UInt256 _divisor64 = new(0x9E37_79B9_7F4A_7C15);
    private UInt256 _modulus = new(0x3C6E_F372_FE94_F82B, 0x7F4A_7C15_9E37_79B9, 0x1CE4_E5B9_BF58_476D, 0x1331_11EB_94D0_49BB);
    private UInt256 _exponent = new(0xD6E8_FEB8_6659_FD93, 0x94D0_49BB_1331_11EB, 0xBF58_476D_1CE4_E5B9, 0x9E37_79B9_7F4A_7C15);

    [Benchmark]
    public UInt256 Add()
    {
        UInt256.Add(in _a, in _b, out UInt256 r);
        return r;
    }

    [Benchmark]
    public UInt256 Subtract()
    {
        UInt256.Subtract(in _a, in _b, out UInt256 r);
        return r;
    }

    [Benchmark]
    public UInt256 Multiply()
    {
        UInt256.Multiply(in _a, in _b, out UInt256 r);
        return r;
    }

    [Benchmark]
    public UInt256 Divide_256_by_128()
    {
        UInt256.Divide(in _a, in _divisor128, out UInt256 r);
        return r;
    }

    [Benchmark]
    public UInt256 Divide_256_by_64()
    {
        UInt256.Divide(in _a, in _divisor64, out UInt256 r);
        return r;
    }

    [Benchmark]
    public UInt256 Mod_256_by_256()
    {
        UInt256.Mod(in _a, in _modulus, out UInt256 r);
        return r;
    }

    [Benchmark]
    public UInt256 AddMod()
    {
        UInt256.AddMod(in _a, in _b, in _modulus, out UInt256 r);
        return r;
    }

    [Benchmark]
    public UInt256 MulMod()
    {
        UInt256.MulMod(in _a, in _b, in _modulus, out UInt256 r);
        return r;
    }

    /// <summary>The division path MULMOD takes for a modulus that does not repeat (the peer of <see cref="MulMod"/>, whose modulus repeats).</summary>
    [Benchmark]
    public UInt256 MulMod_by_division()
    {
        UInt256.MulModByDivision(in _a, in _b, in _modulus, out UInt256 r);
        return r;
    }

    [Benchmark]
    public UInt256 Exp()
    {
        UInt256.Exp(in _a, in _exponent, out UInt256 r);
        return r;
    }
}
