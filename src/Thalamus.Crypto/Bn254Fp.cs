// The limb code is unrolled mechanically (Montgomery CIOS, no-carry variant); keep edits uniform across limbs.
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Thalamus.Crypto;

/// <summary>
/// The BN254 (alt_bn128) base field F_p, p = 0x30644e72…fd47.
/// Elements are kept in Montgomery form (a·R mod p, R = 2^256) in 4 little-endian 64-bit limbs.
/// </summary>
internal readonly struct Bn254Fp : IEquatable<Bn254Fp>, IFieldElement<Bn254Fp>
{
    public readonly ulong L0;
    public readonly ulong L1;
    public readonly ulong L2;
    public readonly ulong L3;

    private const ulong P0 = 0x3c208c16d87cfd47UL;
    private const ulong P1 = 0x97816a916871ca8dUL;
    private const ulong P2 = 0xb85045b68181585dUL;
    private const ulong P3 = 0x30644e72e131a029UL;
    private const ulong Inv = 0x87d20782e4866389UL; // -p^-1 mod 2^64

    public static readonly Bn254Fp Zero = default;
    public static readonly Bn254Fp One = new(0xd35d438dc58f0d9dUL, 0x0a78eb28f5c70b3dUL, 0x666ea36f7879462cUL, 0x0e0a77c19a07df2fUL);
    private static readonly Bn254Fp RSquared = new(0xf32cfc5b538afa89UL, 0xb5e71911d44501fbUL, 0x47ab1eff0a417ff6UL, 0x06d89f71cab8351fUL);
    public static readonly BigInteger Modulus = BigInteger.Parse("21888242871839275222246405745257275088696311157297823662689037894645226208583");
    private static readonly ulong[] PMinus2 = [0x3c208c16d87cfd45UL, 0x97816a916871ca8dUL, 0xb85045b68181585dUL, 0x30644e72e131a029UL];
    private static readonly ulong[] PPlus1Over4 = [0x4f082305b61f3f52UL, 0x65e05aa45a1c72a3UL, 0x6e14116da0605617UL, 0x0c19139cb84c680aUL];
    private static readonly ulong[] PMinus1Over2 = [0x9e10460b6c3e7ea3UL, 0xcbc0b548b438e546UL, 0xdc2822db40c0ac2eUL, 0x183227397098d014UL];
    public const int ByteLength = 32;

    public Bn254Fp(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
    }

    public bool IsZero => (L0 | L1 | L2 | L3) == 0;
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
    public static Bn254Fp operator +(in Bn254Fp a, in Bn254Fp b)
    {
        ulong carry = 0;
        ulong t0 = AddCarry(a.L0, b.L0, ref carry);
        ulong t1 = AddCarry(a.L1, b.L1, ref carry);
        ulong t2 = AddCarry(a.L2, b.L2, ref carry);
        ulong t3 = AddCarry(a.L3, b.L3, ref carry);
        ulong borrow = 0;
        ulong s0 = SubBorrow(t0, P0, ref borrow);
        ulong s1 = SubBorrow(t1, P1, ref borrow);
        ulong s2 = SubBorrow(t2, P2, ref borrow);
        ulong s3 = SubBorrow(t3, P3, ref borrow);
        if (borrow == 0)
            return new(s0, s1, s2, s3);
        return new(t0, t1, t2, t3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fp operator -(in Bn254Fp a, in Bn254Fp b)
    {
        ulong borrow = 0;
        ulong t0 = SubBorrow(a.L0, b.L0, ref borrow);
        ulong t1 = SubBorrow(a.L1, b.L1, ref borrow);
        ulong t2 = SubBorrow(a.L2, b.L2, ref borrow);
        ulong t3 = SubBorrow(a.L3, b.L3, ref borrow);
        if (borrow == 0)
            return new(t0, t1, t2, t3);
        ulong carry = 0;
        t0 = AddCarry(t0, P0, ref carry);
        t1 = AddCarry(t1, P1, ref carry);
        t2 = AddCarry(t2, P2, ref carry);
        t3 = AddCarry(t3, P3, ref carry);
        return new(t0, t1, t2, t3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fp operator -(in Bn254Fp a)
    {
        if (a.IsZero)
            return a;
        ulong borrow = 0;
        ulong t0 = SubBorrow(P0, a.L0, ref borrow);
        ulong t1 = SubBorrow(P1, a.L1, ref borrow);
        ulong t2 = SubBorrow(P2, a.L2, ref borrow);
        ulong t3 = SubBorrow(P3, a.L3, ref borrow);
        return new(t0, t1, t2, t3);
    }

    public Bn254Fp Double() => this + this;

    /// <summary>Montgomery product a·b·R^-1 mod p (CIOS; the modulus' spare top bit lets the carry word be dropped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fp operator *(in Bn254Fp a, in Bn254Fp b)
    {
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0;
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
        t3 = C + A;
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
        t3 = C + A;
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
        t3 = C + A;
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
        t3 = C + A;
        _ = lo;
        ulong borrow = 0;
        ulong s0 = SubBorrow(t0, P0, ref borrow);
        ulong s1 = SubBorrow(t1, P1, ref borrow);
        ulong s2 = SubBorrow(t2, P2, ref borrow);
        ulong s3 = SubBorrow(t3, P3, ref borrow);
        if (borrow == 0)
            return new(s0, s1, s2, s3);
        return new(t0, t1, t2, t3);
    }

    public Bn254Fp Square() => this * this;

    /// <summary>this^e for a little-endian limb exponent (square-and-multiply; not constant time: inputs are public).</summary>
    public Bn254Fp Pow(ReadOnlySpan<ulong> exponent)
    {
        Bn254Fp result = One;
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

    private static readonly Bn254Fp RCubed = new(0xb1cd6dafda1530dfUL, 0x62f210e6a7283db6UL, 0xef7f0b0c0ada0afbUL, 0x20fd6e902d592544UL);

    /// <summary>Multiplicative inverse by Fermat's little theorem (a reference for the faster <see cref="Inverse"/>).</summary>
    public Bn254Fp InverseByExponentiation() => Pow(PMinus2);

    /// <summary>
    /// Multiplicative inverse (zero for zero) by the binary extended Euclidean algorithm on the Montgomery
    /// representation aR, which yields a⁻¹R⁻¹; one Montgomery product with R³ turns that into a⁻¹R.
    /// Not constant time: the inputs of the precompiles are public.
    /// </summary>
    public Bn254Fp Inverse()
    {
        if (IsZero)
            return this;
        Span<ulong> u = stackalloc ulong[4];
        Span<ulong> v = stackalloc ulong[4];
        Span<ulong> x1 = stackalloc ulong[4];
        Span<ulong> x2 = stackalloc ulong[4];
        u[0] = L0;
        v[0] = P0;
        u[1] = L1;
        v[1] = P1;
        u[2] = L2;
        v[2] = P2;
        u[3] = L3;
        v[3] = P3;
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
        return new Bn254Fp(x[0], x[1], x[2], x[3]) * RCubed;
    }

    private static bool IsOneLimbs(ReadOnlySpan<ulong> a)
    {
        if (a[0] != 1)
            return false;
        for (int i = 1; i < 4; i++)
        {
            if (a[i] != 0)
                return false;
        }
        return true;
    }

    private static bool LessThan(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        for (int i = 3; i >= 0; i--)
        {
            if (a[i] != b[i])
                return a[i] < b[i];
        }
        return false;
    }

    /// <summary>a ← (a >> 1) with <paramref name="topBit"/> shifted into the most significant bit.</summary>
    private static void ShiftRightOne(Span<ulong> a, ulong topBit)
    {
        for (int i = 0; i < 3; i++)
            a[i] = (a[i] >> 1) | (a[i + 1] << 63);
        a[3] = (a[3] >> 1) | (topBit << 63);
    }

    private static ulong SubtractInPlace(Span<ulong> a, ReadOnlySpan<ulong> b)
    {
        ulong borrow = 0;
        for (int i = 0; i < 4; i++)
            a[i] = SubBorrow(a[i], b[i], ref borrow);
        return borrow;
    }

    private static void AddModulusInPlace(Span<ulong> a, ref ulong carry)
    {
        a[0] = AddCarry(a[0], P0, ref carry);
        a[1] = AddCarry(a[1], P1, ref carry);
        a[2] = AddCarry(a[2], P2, ref carry);
        a[3] = AddCarry(a[3], P3, ref carry);
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
    public bool TrySqrt(out Bn254Fp root)
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
    private Bn254Fp FromMontgomery() => this * new Bn254Fp(1, 0, 0, 0);

    /// <summary>Reads a big-endian canonical value; false when it is not below p.</summary>
    public static bool TryFromBigEndian(ReadOnlySpan<byte> bytes, out Bn254Fp value)
    {
        if (bytes.Length != 32)
            throw new ArgumentException("expected 32 bytes", nameof(bytes));
        ulong l0 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(24, 8));
        ulong l1 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(16, 8));
        ulong l2 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(8, 8));
        ulong l3 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(0, 8));
        ulong borrow = 0;
        SubBorrow(l0, P0, ref borrow);
        SubBorrow(l1, P1, ref borrow);
        SubBorrow(l2, P2, ref borrow);
        SubBorrow(l3, P3, ref borrow);
        if (borrow == 0)
        {
            value = default;
            return false;
        }
        value = new Bn254Fp(l0, l1, l2, l3) * RSquared;
        return true;
    }

    /// <summary>Writes the canonical value big-endian into 32 bytes.</summary>
    public void WriteBigEndian(Span<byte> destination)
    {
        if (destination.Length != 32)
            throw new ArgumentException("expected 32 bytes", nameof(destination));
        Bn254Fp c = FromMontgomery();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(24, 8), c.L0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(16, 8), c.L1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(8, 8), c.L2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(0, 8), c.L3);
    }

    /// <summary>The element for an integer (reduced mod p; negatives wrap).</summary>
    public static Bn254Fp FromBigInteger(BigInteger value)
    {
        value %= Modulus;
        if (value.Sign < 0)
            value += Modulus;
        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        byte[] raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        raw.CopyTo(bytes.Slice(bytes.Length - raw.Length));
        TryFromBigEndian(bytes, out var result);
        return result;
    }

    public static Bn254Fp FromUInt64(ulong value) => new Bn254Fp(value, 0, 0, 0) * RSquared;

    public BigInteger ToBigInteger()
    {
        Span<byte> bytes = stackalloc byte[32];
        WriteBigEndian(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>True when the canonical value exceeds (p-1)/2 (the ZCash "lexicographically largest" sign rule).</summary>
    public bool IsLexicographicallyLargest()
    {
        Bn254Fp c = FromMontgomery();
        // c > (p-1)/2  ⇔  (p-1)/2 - c borrows
        ulong borrow = 0;
        SubBorrow(PMinus1Over2[0], c.L0, ref borrow);
        SubBorrow(PMinus1Over2[1], c.L1, ref borrow);
        SubBorrow(PMinus1Over2[2], c.L2, ref borrow);
        SubBorrow(PMinus1Over2[3], c.L3, ref borrow);
        return borrow != 0;
    }

    public bool Equals(Bn254Fp other) => L0 == other.L0 && L1 == other.L1 && L2 == other.L2 && L3 == other.L3;
    public override bool Equals(object? obj) => obj is Bn254Fp other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(L0, L1, L2, L3);
    public static bool operator ==(in Bn254Fp a, in Bn254Fp b) => a.Equals(b);
    public static bool operator !=(in Bn254Fp a, in Bn254Fp b) => !a.Equals(b);
    public override string ToString() => "0x" + ToBigInteger().ToString("x");

    // The generic curve arithmetic (JacobianPoint) reaches the operations through these.
    static Bn254Fp IFieldElement<Bn254Fp>.Zero => Zero;
    static Bn254Fp IFieldElement<Bn254Fp>.One => One;
    static Bn254Fp IFieldElement<Bn254Fp>.Square(in Bn254Fp a) => a.Square();
    static Bn254Fp IFieldElement<Bn254Fp>.Double(in Bn254Fp a) => a.Double();
    static Bn254Fp IFieldElement<Bn254Fp>.Inverse(in Bn254Fp a) => a.Inverse();
    static bool IFieldElement<Bn254Fp>.IsZero(in Bn254Fp a) => a.IsZero;
}
