using System.Numerics;

namespace Thalamus.Crypto;

/// <summary>
/// The optimal ate pairing on BN254 (u = 4965661367192848881, Miller loop over 6u + 2):
/// multi-pair Miller loop with projective line functions on the D-type twist, then the final
/// exponentiation (p¹² − 1)/r.
/// </summary>
internal static class Bn254Pairing
{
    /// <summary>The BN parameter u (p = 36u⁴ + 36u³ + 24u² + 6u + 1).</summary>
    public const ulong U = 4965661367192848881UL;

    // Non-adjacent form of 6u + 2, most significant digit first: fewer addition steps than binary.
    private static readonly sbyte[] LoopNaf = ComputeNaf(6 * new BigInteger(U) + 2);

    private static readonly Bn254Fp TwoInverse = Bn254Fp.FromUInt64(2).Inverse();
    private static readonly Bn254Fp2 ThreeB = Bn254G2.B + Bn254G2.B + Bn254G2.B;

    // Frobenius on the twist: π(x, y) = (x̄·ξ^((p−1)/3), ȳ·ξ^((p−1)/2)).
    private static readonly Bn254Fp2 Xi = new(Bn254Fp.FromUInt64(9), Bn254Fp.One);
    private static readonly Bn254Fp2 FrobeniusX = Xi.Pow((Bn254Fp.Modulus - 1) / 3);
    private static readonly Bn254Fp2 FrobeniusY = Xi.Pow((Bn254Fp.Modulus - 1) / 2);

    /// <summary>Pair counts up to this keep the Miller loop state on the stack.</summary>
    public const int MaxStackPairs = 16;

    /// <summary>A twist point in homogeneous projective coordinates (x = X/Z, y = Y/Z).</summary>
    private struct TwistPoint
    {
        public Bn254Fp2 X;
        public Bn254Fp2 Y;
        public Bn254Fp2 Z;
    }

    /// <summary>
    /// The product of the Miller loop values of the given pairs (affine coordinates, none at infinity).
    /// The final exponentiation is separate so several pairs share it.
    /// </summary>
    public static Bn254Fp12 MillerLoop(ReadOnlySpan<Bn254Fp> px, ReadOnlySpan<Bn254Fp> py, ReadOnlySpan<Bn254Fp2> qx, ReadOnlySpan<Bn254Fp2> qy)
    {
        int n = px.Length;
        Span<TwistPoint> t = n <= MaxStackPairs ? stackalloc TwistPoint[n] : new TwistPoint[n];
        for (int k = 0; k < n; k++)
            t[k] = new TwistPoint { X = qx[k], Y = qy[k], Z = Bn254Fp2.One };

        Bn254Fp12 f = Bn254Fp12.One;
        for (int i = 1; i < LoopNaf.Length; i++)
        {
            if (i > 1)
                f = f.Square();
            for (int k = 0; k < n; k++)
            {
                DoublingStep(ref t[k], px[k], py[k], out var a, out var b, out var c);
                f = f.MulByLineDType(a, b, c);
            }
            int digit = LoopNaf[i];
            if (digit != 0)
            {
                for (int k = 0; k < n; k++)
                {
                    Bn254Fp2 y = digit > 0 ? qy[k] : -qy[k];
                    AdditionStep(ref t[k], qx[k], y, px[k], py[k], out var a, out var b, out var c);
                    f = f.MulByLineDType(a, b, c);
                }
            }
        }

        // The two extra lines of the optimal ate pairing: through π(Q) and −π²(Q).
        for (int k = 0; k < n; k++)
        {
            Bn254Fp2 q1x = qx[k].Conjugate() * FrobeniusX;
            Bn254Fp2 q1y = qy[k].Conjugate() * FrobeniusY;
            Bn254Fp2 q2x = q1x.Conjugate() * FrobeniusX;
            Bn254Fp2 q2y = -(q1y.Conjugate() * FrobeniusY);
            AdditionStep(ref t[k], q1x, q1y, px[k], py[k], out var a, out var b, out var c);
            f = f.MulByLineDType(a, b, c);
            AdditionStep(ref t[k], q2x, q2y, px[k], py[k], out a, out b, out c);
            f = f.MulByLineDType(a, b, c);
        }
        return f;
    }

    /// <summary>T ← 2T; the tangent line at T evaluated at P, as a + b·w + c·w³ (scaled by F_p² factors, which the final exponentiation removes).</summary>
    private static void DoublingStep(ref TwistPoint t, in Bn254Fp xP, in Bn254Fp yP, out Bn254Fp2 a, out Bn254Fp2 b, out Bn254Fp2 c)
    {
        Bn254Fp2 xy = t.X * t.Y * TwoInverse;
        Bn254Fp2 yy = t.Y.Square();
        Bn254Fp2 zz = t.Z.Square();
        Bn254Fp2 e = ThreeB * zz;
        Bn254Fp2 f = e + e + e;
        Bn254Fp2 g = (yy + f) * TwoInverse;
        Bn254Fp2 h = (t.Y + t.Z).Square() - (yy + zz);
        Bn254Fp2 xx = t.X.Square();
        Bn254Fp2 ee = e.Square();

        a = -(h * yP);
        b = (xx + xx + xx) * xP;
        c = e - yy;

        t.X = xy * (yy - f);
        t.Y = g.Square() - (ee + ee + ee);
        t.Z = yy * h;
    }

    /// <summary>T ← T + Q (Q affine); the line through T and Q evaluated at P, as a + b·w + c·w³.</summary>
    private static void AdditionStep(ref TwistPoint t, in Bn254Fp2 xQ, in Bn254Fp2 yQ, in Bn254Fp xP, in Bn254Fp yP, out Bn254Fp2 a, out Bn254Fp2 b, out Bn254Fp2 c)
    {
        Bn254Fp2 theta = t.Y - yQ * t.Z;
        Bn254Fp2 lambda = t.X - xQ * t.Z;
        Bn254Fp2 cc = theta.Square();
        Bn254Fp2 d = lambda.Square();
        Bn254Fp2 e = lambda * d;
        Bn254Fp2 f = t.Z * cc;
        Bn254Fp2 g = t.X * d;
        Bn254Fp2 h = e + f - (g + g);

        a = lambda * yP;
        b = -(theta * xP);
        c = theta * xQ - lambda * yQ;

        t.X = lambda * h;
        t.Y = theta * (g - h) - e * t.Y;
        t.Z = t.Z * e;
    }

    /// <summary>f^((p¹² − 1)/r): the easy part (p⁶ − 1)(p² + 1), then the hard part (p⁴ − p² + 1)/r.</summary>
    public static Bn254Fp12 FinalExponentiation(in Bn254Fp12 f)
    {
        Bn254Fp12 t = f.Conjugate() * f.Inverse();
        t = t.Frobenius(2) * t;
        return HardPart(t);
    }

    /// <summary>
    /// m^((p⁴ − p² + 1)/r) for m in the cyclotomic subgroup (where the inverse is the conjugate), using
    /// (p⁴ − p² + 1)/r = λ0 + λ1·p + λ2·p² + p³ with λ2 = 6u² + 1, λ1 = −36u³ − 18u² − 12u + 1,
    /// λ0 = −36u³ − 30u² − 18u − 2 (Scott et al., "On the final exponentiation for calculating pairings on ordinary elliptic curves").
    /// </summary>
    private static Bn254Fp12 HardPart(in Bn254Fp12 m)
    {
        Bn254Fp12 mu = m.CyclotomicPow(U);
        Bn254Fp12 mu2 = mu.CyclotomicPow(U);
        Bn254Fp12 mu3 = mu2.CyclotomicPow(U);

        Bn254Fp12 mu3x36 = mu3.CyclotomicPow(36);
        Bn254Fp12 part0 = (mu3x36 * mu2.CyclotomicPow(30) * mu.CyclotomicPow(18) * m.CyclotomicSquare()).Conjugate();
        Bn254Fp12 part1 = ((mu3x36 * mu2.CyclotomicPow(18) * mu.CyclotomicPow(12)).Conjugate() * m).Frobenius(1);
        Bn254Fp12 part2 = (mu2.CyclotomicPow(6) * m).Frobenius(2);
        Bn254Fp12 part3 = m.Frobenius(3);
        return part0 * part1 * part2 * part3;
    }

    /// <summary>Non-adjacent form, most significant digit first.</summary>
    private static sbyte[] ComputeNaf(BigInteger value)
    {
        var digits = new List<sbyte>();
        while (value > 0)
        {
            sbyte digit = 0;
            if (!value.IsEven)
            {
                digit = (sbyte)(2 - (int)(value % 4));
                value -= digit;
            }
            digits.Add(digit);
            value >>= 1;
        }
        digits.Reverse();
        return digits.ToArray();
    }
}
