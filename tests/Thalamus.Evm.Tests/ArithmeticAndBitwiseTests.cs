using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Xunit;

namespace Thalamus.Evm.Tests;

/// <summary>
/// Every arithmetic, comparison and bitwise opcode agrees with its definition over the integers
/// (BigInteger), on random words biased to the interpreter's fast paths (small, small negative)
/// and to edge values.
/// </summary>
public sealed class ArithmeticAndBitwiseTests
{
    private static readonly BigInteger Modulus = BigInteger.One << 256;
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(150);

    private static readonly Gen<UInt256> Word = Gen.Frequency(
        (3, Gen.Four(Gen.Choose(int.MinValue, int.MaxValue)).Select(t =>
            new UInt256(Mix(t.Item1, t.Item2), Mix(t.Item2, t.Item3), Mix(t.Item3, t.Item4), Mix(t.Item4, t.Item1)))),
        (3, Gen.Choose(0, 1_000_000).Select(i => new UInt256((ulong)i))),
        (3, Gen.Choose(-1_000_000, 1_000_000).Select(i => FromSigned(i))),
        (1, Gen.Choose(0, 300).Select(i => new UInt256((ulong)i))),
        (2, Gen.Elements(UInt256.Zero, UInt256.One, UInt256.MaxValue, new UInt256(0, 0, 0, 1UL << 63),
            new UInt256(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, long.MaxValue), new UInt256(1UL << 63),
            FromSigned(long.MinValue), FromSigned(-1), new UInt256(ulong.MaxValue), new UInt256(0, 1))));

    private static ulong Mix(int a, int b) => ((ulong)(uint)a << 32) | (uint)b;

    private static UInt256 FromSigned(long value) => UInt256.FromBigInteger(value);

    private static BigInteger Signed(UInt256 x) => x.IsNegative ? x.ToBigInteger() - Modulus : x.ToBigInteger();

    private static UInt256 Wrap(BigInteger x) => UInt256.FromBigInteger(((x % Modulus) + Modulus) % Modulus);

    /// <summary>a = calldata[0..32] (the top), b = calldata[32..64], c = calldata[64..96]; returns op(a, b[, c]).</summary>
    private static UInt256 Run(byte op, UInt256 a, UInt256 b, UInt256 c = default)
    {
        var code = new Bytecode()
            .Push(64).Op(Op.CALLDATALOAD).Push(32).Op(Op.CALLDATALOAD).Push(0).Op(Op.CALLDATALOAD)
            .Op(op).ReturnTop();
        var input = new byte[96];
        a.WriteBigEndian(input.AsSpan(0, 32));
        b.WriteBigEndian(input.AsSpan(32, 32));
        c.WriteBigEndian(input.AsSpan(64, 32));
        var result = new CodeRunner(code).Run(input, 1_000_000);
        Assert.Equal(ExecutionStatus.Success, result.Status);
        return UInt256.FromBigEndian(result.Output);
    }

    public static TheoryData<byte> BinaryOpcodes => [Op.ADD, Op.MUL, Op.SUB, Op.DIV, Op.SDIV, Op.MOD, Op.SMOD, Op.EXP,
        Op.SIGNEXTEND, Op.LT, Op.GT, Op.SLT, Op.SGT, Op.EQ, Op.AND, Op.OR, Op.XOR, Op.BYTE, Op.SHL, Op.SHR, Op.SAR];

    [Theory]
    [MemberData(nameof(BinaryOpcodes))]
    public void Binary_opcode_matches_its_integer_definition(byte op) =>
        Check.One(Quick, Prop.ForAll(Word.ToArbitrary(), Word.ToArbitrary(), (a, b) =>
            Assert.Equal(Expected(op, a, b), Run(op, a, b))));

    [Theory]
    [InlineData(Op.ADDMOD)]
    [InlineData(Op.MULMOD)]
    public void Modular_opcode_matches_its_integer_definition(byte op) =>
        Check.One(Quick, Prop.ForAll(Word.ToArbitrary(), Word.ToArbitrary(), Word.ToArbitrary(), (a, b, n) =>
        {
            var expected = n.IsZero ? BigInteger.Zero
                : op == Op.ADDMOD ? (a.ToBigInteger() + b.ToBigInteger()) % n.ToBigInteger()
                : a.ToBigInteger() * b.ToBigInteger() % n.ToBigInteger();
            Assert.Equal(Wrap(expected), Run(op, a, b, n));
        }));

    [Fact]
    public void Unary_opcodes_match_their_definitions() =>
        Check.One(Quick, Prop.ForAll(Word.ToArbitrary(), a =>
        {
            Assert.Equal(a.IsZero ? UInt256.One : UInt256.Zero, Run(Op.ISZERO, a, default));
            Assert.Equal(Wrap(Modulus - 1 - a.ToBigInteger()), Run(Op.NOT, a, default));
        }));

    [Theory]
    [InlineData(Op.SDIV, "-57896044618658097711785492504343953926634992332820282019728792003956564819968", "-1",
        "-57896044618658097711785492504343953926634992332820282019728792003956564819968")] // -2^255 / -1 overflows to itself
    [InlineData(Op.SDIV, "-7", "2", "-3")]   // truncates toward zero
    [InlineData(Op.SMOD, "-7", "2", "-1")]   // takes the dividend's sign
    [InlineData(Op.SMOD, "7", "-2", "1")]
    [InlineData(Op.DIV, "7", "0", "0")]      // division by zero is zero
    [InlineData(Op.SDIV, "-7", "0", "0")]
    [InlineData(Op.MOD, "7", "0", "0")]
    [InlineData(Op.SMOD, "-9223372036854775808", "-1", "0")]
    [InlineData(Op.EXP, "2", "255", "57896044618658097711785492504343953926634992332820282019728792003956564819968")]
    [InlineData(Op.EXP, "0", "0", "1")]
    [InlineData(Op.SIGNEXTEND, "0", "255", "-1")]
    [InlineData(Op.SIGNEXTEND, "0", "127", "127")]
    [InlineData(Op.SIGNEXTEND, "31", "255", "255")]
    [InlineData(Op.SAR, "256", "-1", "-1")]
    [InlineData(Op.SAR, "1", "-2", "-1")]
    [InlineData(Op.SHL, "256", "1", "0")]
    [InlineData(Op.BYTE, "31", "258", "2")]
    [InlineData(Op.BYTE, "32", "258", "0")]
    public void Edge_cases(byte op, string a, string b, string expected) =>
        Assert.Equal(Wrap(BigInteger.Parse(expected)), Run(op, Wrap(BigInteger.Parse(a)), Wrap(BigInteger.Parse(b))));

    private static UInt256 Expected(byte op, UInt256 a, UInt256 b)
    {
        BigInteger x = a.ToBigInteger(), y = b.ToBigInteger();
        BigInteger sx = Signed(a), sy = Signed(b);
        return op switch
        {
            Op.ADD => Wrap(x + y),
            Op.MUL => Wrap(x * y),
            Op.SUB => Wrap(x - y),
            Op.DIV => y.IsZero ? default : Wrap(x / y),
            Op.MOD => y.IsZero ? default : Wrap(x % y),
            Op.SDIV => sy.IsZero ? default : Wrap(BigInteger.Divide(sx, sy)),   // truncates toward zero
            Op.SMOD => sy.IsZero ? default : Wrap(BigInteger.Remainder(sx, sy)), // sign of the dividend
            Op.EXP => Wrap(BigInteger.ModPow(x, y, Modulus)),
            Op.SIGNEXTEND => x >= 31 ? b : SignExtend((int)x, y),
            Op.LT => x < y ? UInt256.One : default,
            Op.GT => x > y ? UInt256.One : default,
            Op.SLT => sx < sy ? UInt256.One : default,
            Op.SGT => sx > sy ? UInt256.One : default,
            Op.EQ => x == y ? UInt256.One : default,
            Op.AND => Wrap(x & y),
            Op.OR => Wrap(x | y),
            Op.XOR => Wrap(x ^ y),
            Op.BYTE => x >= 32 ? default : new UInt256((ulong)((y >> (8 * (31 - (int)x))) & 0xff)),
            Op.SHL => x >= 256 ? default : Wrap(y << (int)x),
            Op.SHR => x >= 256 ? default : Wrap(y >> (int)x),
            Op.SAR => x >= 256 ? (b.IsNegative ? UInt256.MaxValue : default) : Wrap(sy >> (int)x),
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };
    }

    private static UInt256 SignExtend(int byteIndex, BigInteger value)
    {
        var bits = 8 * (byteIndex + 1);
        var low = value & ((BigInteger.One << bits) - 1);
        var negative = !(low >> (bits - 1)).IsZero;
        return Wrap(negative ? low - (BigInteger.One << bits) : low);
    }
}
