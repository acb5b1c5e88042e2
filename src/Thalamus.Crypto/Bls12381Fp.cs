// The limb code is unrolled mechanically (Montgomery CIOS, no-carry variant); keep edits uniform across limbs.
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Thalamus.Crypto;

/// <summary>
/// The BLS12-381 base field F_p, p = 0x1a0111ea…aaab (381 bits).
/// Elements are kept in Montgomery form (a·R mod p, R = 2^384) in 6 little-endian 64-bit limbs.
/// </summary>
internal readonly struct Bls12381Fp : IEquatable<Bls12381Fp>, IFieldElement<Bls12381Fp>
{
    public readonly ulong L0;
    public readonly ulong L1;
    public readonly ulong L2;
    public readonly ulong L3;
    public readonly ulong L4;
    public readonly ulong L5;

    private const ulong P0 = 0xb9feffffffffaaabUL;
    private const ulong P1 = 0x1eabfffeb153ffffUL;
    private const ulong P2 = 0x6730d2a0f6b0f624UL;
    private const ulong P3 = 0x64774b84f38512bfUL;
    private const ulong P4 = 0x4b1ba7b6434bacd7UL;
    private const ulong P5 = 0x1a0111ea397fe69aUL;
    private const ulong Inv = 0x89f3fffcfffcfffdUL; // -p^-1 mod 2^64

    public static readonly Bls12381Fp Zero = default;
    public static readonly Bls12381Fp One = new(0x760900000002fffdUL, 0xebf4000bc40c0002UL, 0x5f48985753c758baUL, 0x77ce585370525745UL, 0x5c071a97a256ec6dUL, 0x15f65ec3fa80e493UL);
    private static readonly Bls12381Fp RSquared = new(0xf4df1f341c341746UL, 0x0a76e6a609d104f1UL, 0x8de5476c4c95b6d5UL, 0x67eb88a9939d83c0UL, 0x9a793e85b519952dUL, 0x11988fe592cae3aaUL);
    public static readonly BigInteger Modulus = BigInteger.Parse("4002409555221667393417789825735904156556882819939007885332058136124031650490837864442687629129015664037894272559787");
    private static readonly ulong[] PMinus2 = [0xb9feffffffffaaa9UL, 0x1eabfffeb153ffffUL, 0x6730d2a0f6b0f624UL, 0x64774b84f38512bfUL, 0x4b1ba7b6434bacd7UL, 0x1a0111ea397fe69aUL];
    private static readonly ulong[] PPlus1Over4 = [0xee7fbfffffffeaabUL, 0x07aaffffac54ffffUL, 0xd9cc34a83dac3d89UL, 0xd91dd2e13ce144afUL, 0x92c6e9ed90d2eb35UL, 0x0680447a8e5ff9a6UL];
    private static readonly ulong[] PMinus1Over2 = [0xdcff7fffffffd555UL, 0x0f55ffff58a9ffffUL, 0xb39869507b587b12UL, 0xb23ba5c279c2895fUL, 0x258dd3db21a5d66bUL, 0x0d0088f51cbff34dUL];
    public const int ByteLength = 48;

    public Bls12381Fp(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4, ulong l5)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
        L4 = l4;
        L5 = l5;
    }

    public bool IsZero => (L0 | L1 | L2 | L3 | L4 | L5) == 0;
    public bool IsOne => Equals(One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AddCarry(ulong a, ulong b, ref ulong carry)
    {
        ulong s = a + b;
        ulong c = s < a ? 1UL : 0UL;
        ulong r = s + carry;
        carry = c + (r < s ? 1UL : 0UL);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubBorrow(ulong a, ulong b, ref ulong borrow)
    {
        ulong d = a - b;
        ulong c = a < b ? 1UL : 0UL;
        ulong r = d - borrow;
        borrow = c + (d < borrow ? 1UL : 0UL);
        return r;
    }

    /// <summary>a·b + c + d as a 128-bit value (cannot overflow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulAdd(ulong a, ulong b, ulong c, ulong d, out ulong lo)
    {
        ulong hi = Math.BigMul(a, b, out ulong l);
        l += c;
        hi += l < c ? 1UL : 0UL;
        l += d;
        hi += l < d ? 1UL : 0UL;
        lo = l;
        return hi;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bls12381Fp operator +(in Bls12381Fp a, in Bls12381Fp b)
    {
        ulong carry = 0;
        ulong t0 = AddCarry(a.L0, b.L0, ref carry);
        ulong t1 = AddCarry(a.L1, b.L1, ref carry);
        ulong t2 = AddCarry(a.L2, b.L2, ref carry);
        ulong t3 = AddCarry(a.L3, b.L3, ref carry);
        ulong t4 = AddCarry(a.L4, b.L4, ref carry);
        ulong t5 = AddCarry(a.L5, b.L5, ref carry);
        ulong borrow = 0;
        ulong s0 = SubBorrow(t0, P0, ref borrow);
        ulong s1 = SubBorrow(t1, P1, ref borrow);
        ulong s2 = SubBorrow(t2, P2, ref borrow);
        ulong s3 = SubBorrow(t3, P3, ref borrow);
        ulong s4 = SubBorrow(t4, P4, ref borrow);
        ulong s5 = SubBorrow(t5, P5, ref borrow);
        if (borrow == 0)
            return new(s0, s1, s2, s3, s4, s5);
        return new(t0, t1, t2, t3, t4, t5);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bls12381Fp operator -(in Bls12381Fp a, in Bls12381Fp b)
    {
        ulong borrow = 0;
        ulong t0 = SubBorrow(a.L0, b.L0, ref borrow);
        ulong t1 = SubBorrow(a.L1, b.L1, ref borrow);
        ulong t2 = SubBorrow(a.L2, b.L2, ref borrow);
        ulong t3 = SubBorrow(a.L3, b.L3, ref borrow);
        ulong t4 = SubBorrow(a.L4, b.L4, ref borrow);
        ulong t5 = SubBorrow(a.L5, b.L5, ref borrow);
        if (borrow == 0)
            return new(t0, t1, t2, t3, t4, t5);
        ulong carry = 0;
        t0 = AddCarry(t0, P0, ref carry);
        t1 = AddCarry(t1, P1, ref carry);
        t2 = AddCarry(t2, P2, ref carry);
        t3 = AddCarry(t3, P3, ref carry);
        t4 = AddCarry(t4, P4, ref carry);
        t5 = AddCarry(t5, P5, ref carry);
        return new(t0, t1, t2, t3, t4, t5);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bls12381Fp operator -(in Bls12381Fp a)
    {
        if (a.IsZero)
            return a;
        ulong borrow = 0;
        ulong t0 = SubBorrow(P0, a.L0, ref borrow);
        ulong t1 = SubBorrow(P1, a.L1, ref borrow);
        ulong t2 = SubBorrow(P2, a.L2, ref borrow);
        ulong t3 = SubBorrow(P3, a.L3, ref borrow);
        ulong t4 = SubBorrow(P4, a.L4, ref borrow);
        ulong t5 = SubBorrow(P5, a.L5, ref borrow);
        return new(t0, t1, t2, t3, t4, t5);
    }

    public Bls12381Fp Double() => this + this;

    /// <summary>Montgomery product a·b·R^-1 mod p (CIOS; the modulus' spare top bit lets the carry word be dropped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bls12381Fp operator *(in Bls12381Fp a, in Bls12381Fp b)
    {
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0;
        ulong A, C, m, ai, lo;
        ai = a.L0;
        A = MulAdd(ai, b.L0, t0, 0, out t0);
        m = t0 * Inv;
        C = MulAdd(m, P0, t0, 0, out lo);
        A = MulAdd(ai, b.L1, t1, A, out t1);
        C = MulAdd(m, P1, t1, C, out t0);
        A = MulAdd(ai, b.L2, t2, A, out t2);
        C = MulAdd(m, P2, t2, C, out t1);
        A = MulAdd(ai, b.L3, t3, A, out t3);
        C = MulAdd(m, P3, t3, C, out t2);
        A = MulAdd(ai, b.L4, t4, A, out t4);
        C = MulAdd(m, P4, t4, C, out t3);
        A = MulAdd(ai, b.L5, t5, A, out t5);
        C = MulAdd(m, P5, t5, C, out t4);
        t5 = C + A;
        ai = a.L1;
        A = MulAdd(ai, b.L0, t0, 0, out t0);
        m = t0 * Inv;
        C = MulAdd(m, P0, t0, 0, out lo);
        A = MulAdd(ai, b.L1, t1, A, out t1);
        C = MulAdd(m, P1, t1, C, out t0);
        A = MulAdd(ai, b.L2, t2, A, out t2);
        C = MulAdd(m, P2, t2, C, out t1);
        A = MulAdd(ai, b.L3, t3, A, out t3);
        C = MulAdd(m, P3, t3, C, out t2);
        A = MulAdd(ai, b.L4, t4, A, out t4);
        C = MulAdd(m, P4, t4, C, out t3);
        A = MulAdd(ai, b.L5, t5, A, out t5);
        C = MulAdd(m, P5, t5, C, out t4);
        t5 = C + A;
        ai = a.L2;
        A = MulAdd(ai, b.L0, t0, 0, out t0);
        m = t0 * Inv;
        C = MulAdd(m, P0, t0, 0, out lo);
        A = MulAdd(ai, b.L1, t1, A, out t1);
        C = MulAdd(m, P1, t1, C, out t0);
        A = MulAdd(ai, b.L2, t2, A, out t2);
        C = MulAdd(m, P2, t2, C, out t1);
        A = MulAdd(ai, b.L3, t3, A, out t3);
        C = MulAdd(m, P3, t3, C, out t2);
        A = MulAdd(ai, b.L4, t4, A, out t4);
        C = MulAdd(m, P4, t4, C, out t3);
        A = MulAdd(ai, b.L5, t5, A, out t5);
        C = MulAdd(m, P5, t5, C, out t4);
        t5 = C + A;
        ai = a.L3;
        A = MulAdd(ai, b.L0, t0, 0, out t0);
        m = t0 * Inv;
        C = MulAdd(m, P0, t0, 0, out lo);
        A = MulAdd(ai, b.L1, t1, A, out t1);
        C = MulAdd(m, P1, t1, C, out t0);
        A = MulAdd(ai, b.L2, t2, A, out t2);
        C = MulAdd(m, P2, t2, C, out t1);
        A = MulAdd(ai, b.L3, t3, A, out t3);
        C = MulAdd(m, P3, t3, C, out t2);
        A = MulAdd(ai, b.L4, t4, A, out t4);
        C = MulAdd(m, P4, t4, C, out t3);
        A = MulAdd(ai, b.L5, t5, A, out t5);
        C = MulAdd(m, P5, t5, C, out t4);
        t5 = C + A;
        ai = a.L4;
        A = MulAdd(ai, b.L0, t0, 0, out t0);
        m = t0 * Inv;
        C = MulAdd(m, P0, t0, 0, out lo);
        A = MulAdd(ai, b.L1, t1, A, out t1);
        C = MulAdd(m, P1, t1, C, out t0);
        A = MulAdd(ai, b.L2, t2, A, out t2);
        C = MulAdd(m, P2, t2, C, out t1);
        A = MulAdd(ai, b.L3, t3, A, out t3);
        C = MulAdd(m, P3, t3, C, out t2);
        A = MulAdd(ai, b.L4, t4, A, out t4);
        C = MulAdd(m, P4, t4, C, out t3);
        A = MulAdd(ai, b.L5, t5, A, out t5);
        C = MulAdd(m, P5, t5, C, out t4);
        t5 = C + A;
        ai = a.L5;
        A = MulAdd(ai, b.L0, t0, 0, out t0);
        m = t0 * Inv;
        C = MulAdd(m, P0, t0, 0, out lo);
        A = MulAdd(ai, b.L1, t1, A, out t1);
        C = MulAdd(m, P1, t1, C, out t0);
        A = MulAdd(ai, b.L2, t2, A, out t2);
        C = MulAdd(m, P2, t2, C, out t1);
        A = MulAdd(ai, b.L3, t3, A, out t3);
        C = MulAdd(m, P3, t3, C, out t2);
        A = MulAdd(ai, b.L4, t4, A, out t4);
        C = MulAdd(m, P4, t4, C, out t3);
        A = MulAdd(ai, b.L5, t5, A, out t5);
        C = MulAdd(m, P5, t5, C, out t4);
        t5 = C + A;
        _ = lo;
        ulong borrow = 0;
        ulong s0 = SubBorrow(t0, P0, ref borrow);
        ulong s1 = SubBorrow(t1, P1, ref borrow);
        ulong s2 = SubBorrow(t2, P2, ref borrow);
        ulong s3 = SubBorrow(t3, P3, ref borrow);
        ulong s4 = SubBorrow(t4, P4, ref borrow);
        ulong s5 = SubBorrow(t5, P5, ref borrow);
        if (borrow == 0)
            return new(s0, s1, s2, s3, s4, s5);
        return new(t0, t1, t2, t3, t4, t5);
    }

    public Bls12381Fp Square() => this * this;

    /// <summary>this^e for a little-endian limb exponent (square-and-multiply; not constant time: inputs are public).</summary>
    public Bls12381Fp Pow(ReadOnlySpan<ulong> exponent)
    {
        Bls12381Fp result = One;
        for (int i = exponent.Length - 1; i >= 0; i--)
        {
            for (int bit = 63; bit >= 0; bit--)
            {
                result = result.Square();
                if (((exponent[i] >> bit) & 1) != 0)
                    result *= this;
            }
        }
        return result;
    }

    private static readonly Bls12381Fp RCubed = new(0xed48ac6bd94ca1e0UL, 0x315f831e03a7adf8UL, 0x9a53352a615e29ddUL, 0x34c04e5e921e1761UL, 0x2512d43565724728UL, 0x0aa6346091755d4dUL);

    /// <summary>Multiplicative inverse by Fermat's little theorem (a reference for the faster <see cref="Inverse"/>).</summary>
    public Bls12381Fp InverseByExponentiation() => Pow(PMinus2);

    /// <summary>
    /// Multiplicative inverse (zero for zero) by the binary extended Euclidean algorithm on the Montgomery
    /// representation aR, which yields a⁻¹R⁻¹; one Montgomery product with R³ turns that into a⁻¹R.
    /// Not constant time: the inputs of the precompiles are public.
    /// </summary>
    public Bls12381Fp Inverse()
    {
        if (IsZero)
            return this;
        Span<ulong> u = stackalloc ulong[6];
        Span<ulong> v = stackalloc ulong[6];
        Span<ulong> x1 = stackalloc ulong[6];
        Span<ulong> x2 = stackalloc ulong[6];
        u[0] = L0;
        v[0] = P0;
        u[1] = L1;
        v[1] = P1;
        u[2] = L2;
        v[2] = P2;
        u[3] = L3;
        v[3] = P3;
        u[4] = L4;
        v[4] = P4;
        u[5] = L5;
        v[5] = P5;
        x1.Clear();
        x2.Clear();
        x1[0] = 1;
        while (!IsOneLimbs(u) && !IsOneLimbs(v))
        {
            while ((u[0] & 1) == 0)
            {
                ShiftRightOne(u, 0);
                HalveModP(x1);
            }
            while ((v[0] & 1) == 0)
            {
                ShiftRightOne(v, 0);
                HalveModP(x2);
            }
            if (!LessThan(u, v))
            {
                SubtractInPlace(u, v);
                SubtractModP(x1, x2);
            }
            else
            {
                SubtractInPlace(v, u);
                SubtractModP(x2, x1);
            }
        }
        Span<ulong> x = IsOneLimbs(u) ? x1 : x2;
        return new Bls12381Fp(x[0], x[1], x[2], x[3], x[4], x[5]) * RCubed;
    }

    private static bool IsOneLimbs(ReadOnlySpan<ulong> a)
    {
        if (a[0] != 1)
            return false;
        for (int i = 1; i < 6; i++)
        {
            if (a[i] != 0)
                return false;
        }
        return true;
    }

    private static bool LessThan(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        for (int i = 5; i >= 0; i--)
        {
            if (a[i] != b[i])
                return a[i] < b[i];
        }
        return false;
    }

    /// <summary>a ← (a >> 1) with <paramref name="topBit"/> shifted into the most significant bit.</summary>
    private static void ShiftRightOne(Span<ulong> a, ulong topBit)
    {
        for (int i = 0; i < 5; i++)
            a[i] = (a[i] >> 1) | (a[i + 1] << 63);
        a[5] = (a[5] >> 1) | (topBit << 63);
    }

    private static ulong SubtractInPlace(Span<ulong> a, ReadOnlySpan<ulong> b)
    {
        ulong borrow = 0;
        for (int i = 0; i < 6; i++)
            a[i] = SubBorrow(a[i], b[i], ref borrow);
        return borrow;
    }

    private static void AddModulusInPlace(Span<ulong> a, ref ulong carry)
    {
        a[0] = AddCarry(a[0], P0, ref carry);
        a[1] = AddCarry(a[1], P1, ref carry);
        a[2] = AddCarry(a[2], P2, ref carry);
        a[3] = AddCarry(a[3], P3, ref carry);
        a[4] = AddCarry(a[4], P4, ref carry);
        a[5] = AddCarry(a[5], P5, ref carry);
    }

    /// <summary>x ← x/2 mod p for x below p (adding p first when x is odd).</summary>
    private static void HalveModP(Span<ulong> x)
    {
        ulong carry = 0;
        if ((x[0] & 1) != 0)
            AddModulusInPlace(x, ref carry);
        ShiftRightOne(x, carry);
    }

    /// <summary>x ← x − y mod p for x, y below p.</summary>
    private static void SubtractModP(Span<ulong> x, ReadOnlySpan<ulong> y)
    {
        if (SubtractInPlace(x, y) != 0)
        {
            ulong carry = 0;
            AddModulusInPlace(x, ref carry);
        }
    }

    /// <summary>A square root when one exists (p ≡ 3 mod 4, so it is this^((p+1)/4)).</summary>
    public bool TrySqrt(out Bls12381Fp root)
    {
        root = Pow(PPlus1Over4);
        return root.Square().Equals(this);
    }

    /// <summary>Legendre symbol test: true for zero and the non-zero squares.</summary>
    public bool IsSquare()
    {
        if (IsZero)
            return true;
        return Pow(PMinus1Over2).IsOne;
    }

    /// <summary>Leaves Montgomery form: the canonical value's limbs.</summary>
    private Bls12381Fp FromMontgomery() => this * new Bls12381Fp(1, 0, 0, 0, 0, 0);

    /// <summary>Reads a big-endian canonical value; false when it is not below p.</summary>
    public static bool TryFromBigEndian(ReadOnlySpan<byte> bytes, out Bls12381Fp value)
    {
        if (bytes.Length != 48)
            throw new ArgumentException("expected 48 bytes", nameof(bytes));
        ulong l0 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(40, 8));
        ulong l1 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(32, 8));
        ulong l2 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(24, 8));
        ulong l3 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(16, 8));
        ulong l4 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(8, 8));
        ulong l5 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(0, 8));
        ulong borrow = 0;
        SubBorrow(l0, P0, ref borrow);
        SubBorrow(l1, P1, ref borrow);
        SubBorrow(l2, P2, ref borrow);
        SubBorrow(l3, P3, ref borrow);
        SubBorrow(l4, P4, ref borrow);
        SubBorrow(l5, P5, ref borrow);
        if (borrow == 0)
        {
            value = default;
            return false;
        }
        value = new Bls12381Fp(l0, l1, l2, l3, l4, l5) * RSquared;
        return true;
    }

    /// <summary>Writes the canonical value big-endian into 48 bytes.</summary>
    public void WriteBigEndian(Span<byte> destination)
    {
        if (destination.Length != 48)
            throw new ArgumentException("expected 48 bytes", nameof(destination));
        Bls12381Fp c = FromMontgomery();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(40, 8), c.L0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(32, 8), c.L1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(24, 8), c.L2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(16, 8), c.L3);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(8, 8), c.L4);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(0, 8), c.L5);
    }

    /// <summary>The element for an integer (reduced mod p; negatives wrap).</summary>
    public static Bls12381Fp FromBigInteger(BigInteger value)
    {
        value %= Modulus;
        if (value.Sign < 0)
            value += Modulus;
        Span<byte> bytes = stackalloc byte[48];
        bytes.Clear();
        byte[] raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        raw.CopyTo(bytes.Slice(bytes.Length - raw.Length));
        TryFromBigEndian(bytes, out var result);
        return result;
    }

    public static Bls12381Fp FromUInt64(ulong value) => new Bls12381Fp(value, 0, 0, 0, 0, 0) * RSquared;

    public BigInteger ToBigInteger()
    {
        Span<byte> bytes = stackalloc byte[48];
        WriteBigEndian(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>True when the canonical value exceeds (p-1)/2 (the ZCash "lexicographically largest" sign rule).</summary>
    public bool IsLexicographicallyLargest()
    {
        Bls12381Fp c = FromMontgomery();
        // c > (p-1)/2  ⇔  (p-1)/2 - c borrows
        ulong borrow = 0;
        SubBorrow(PMinus1Over2[0], c.L0, ref borrow);
        SubBorrow(PMinus1Over2[1], c.L1, ref borrow);
        SubBorrow(PMinus1Over2[2], c.L2, ref borrow);
        SubBorrow(PMinus1Over2[3], c.L3, ref borrow);
        SubBorrow(PMinus1Over2[4], c.L4, ref borrow);
        SubBorrow(PMinus1Over2[5], c.L5, ref borrow);
        return borrow != 0;
    }

    public bool Equals(Bls12381Fp other) => L0 == other.L0 && L1 == other.L1 && L2 == other.L2 && L3 == other.L3 && L4 == other.L4 && L5 == other.L5;
    public override bool Equals(object? obj) => obj is Bls12381Fp other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(L0, L1, L2, L3, L4, L5);
    public static bool operator ==(in Bls12381Fp a, in Bls12381Fp b) => a.Equals(b);
    public static bool operator !=(in Bls12381Fp a, in Bls12381Fp b) => !a.Equals(b);
    public override string ToString() => "0x" + ToBigInteger().ToString("x");

    // The generic curve arithmetic (JacobianPoint) reaches the operations through these.
    static Bls12381Fp IFieldElement<Bls12381Fp>.Zero => Zero;
    static Bls12381Fp IFieldElement<Bls12381Fp>.One => One;
    static Bls12381Fp IFieldElement<Bls12381Fp>.Square(in Bls12381Fp a) => a.Square();
    static Bls12381Fp IFieldElement<Bls12381Fp>.Double(in Bls12381Fp a) => a.Double();
    static Bls12381Fp IFieldElement<Bls12381Fp>.Inverse(in Bls12381Fp a) => a.Inverse();
    static bool IFieldElement<Bls12381Fp>.IsZero(in Bls12381Fp a) => a.IsZero;
}
