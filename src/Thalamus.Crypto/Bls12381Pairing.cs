namespace Thalamus.Crypto;

/// <summary>
/// The optimal ate pairing on BLS12-381 (u = −0xd201000000010000, Miller loop over |u|): multi-pair Miller
/// loop with projective line functions on the M-type twist, then the final exponentiation. Only the
/// "product equals one" question is asked of it, so the hard part may compute a fixed power coprime to r.
/// </summary>
internal static class Bls12381Pairing
{
    /// <summary>|u| for the BLS parameter u = −0xd201000000010000.</summary>
    public const ulong AbsU = 0xd201000000010000UL;

    private static readonly Bls12381Fp TwoInverse = Bls12381Fp.FromUInt64(2).Inverse();
    private static readonly Bls12381Fp2 ThreeB = Bls12381G2.B + Bls12381G2.B + Bls12381G2.B;

    /// <summary>Pair counts up to this keep the Miller loop state on the stack.</summary>
    public const int MaxStackPairs = 16;

    /// <summary>A twist point in homogeneous projective coordinates (x = X/Z, y = Y/Z).</summary>
    private struct TwistPoint
    {
        public Bls12381Fp2 X;
        public Bls12381Fp2 Y;
        public Bls12381Fp2 Z;
    }

    /// <summary>The product of the Miller loop values of the given pairs (affine coordinates, none at infinity).</summary>
    public static Bls12381Fp12 MillerLoop(ReadOnlySpan<Bls12381Fp> px, ReadOnlySpan<Bls12381Fp> py, ReadOnlySpan<Bls12381Fp2> qx, ReadOnlySpan<Bls12381Fp2> qy)
    {
        int n = px.Length;
        Span<TwistPoint> t = n <= MaxStackPairs ? stackalloc TwistPoint[n] : new TwistPoint[n];
        for (int k = 0; k < n; k++)
            t[k] = new TwistPoint { X = qx[k], Y = qy[k], Z = Bls12381Fp2.One };

        Bls12381Fp12 f = Bls12381Fp12.One;
        for (int bit = 62; bit >= 0; bit--)
        {
            if (bit != 62)
                f = f.Square();
            for (int k = 0; k < n; k++)
            {
                DoublingStep(ref t[k], px[k], py[k], out var a, out var b, out var c);
                f = f.MulByLineMType(a, b, c);
            }
            if (((AbsU >> bit) & 1) != 0)
            {
                for (int k = 0; k < n; k++)
                {
                    AdditionStep(ref t[k], qx[k], qy[k], px[k], py[k], out var a, out var b, out var c);
                    f = f.MulByLineMType(a, b, c);
                }
            }
        }
        // u < 0: f_{u,Q} = 1 / f_{|u|,Q} up to vertical lines, and after the final exponentiation the inverse is the conjugate.
        return f.Conjugate();
    }

    /// <summary>T ← 2T; the tangent line at T evaluated at P, as a + b·w² + c·w³ (up to F_p² factors).</summary>
    private static void DoublingStep(ref TwistPoint t, in Bls12381Fp xP, in Bls12381Fp yP, out Bls12381Fp2 a, out Bls12381Fp2 b, out Bls12381Fp2 c)
    {
        Bls12381Fp2 xy = t.X * t.Y * TwoInverse;
        Bls12381Fp2 yy = t.Y.Square();
        Bls12381Fp2 zz = t.Z.Square();
        Bls12381Fp2 e = ThreeB * zz;
        Bls12381Fp2 f = e + e + e;
        Bls12381Fp2 g = (yy + f) * TwoInverse;
        Bls12381Fp2 h = (t.Y + t.Z).Square() - (yy + zz);
        Bls12381Fp2 xx = t.X.Square();
        Bls12381Fp2 ee = e.Square();

        a = e - yy;
        b = (xx + xx + xx) * xP;
        c = -(h * yP);

        t.X = xy * (yy - f);
        t.Y = g.Square() - (ee + ee + ee);
        t.Z = yy * h;
    }

    /// <summary>T ← T + Q (Q affine); the line through T and Q evaluated at P, as a + b·w² + c·w³.</summary>
    private static void AdditionStep(ref TwistPoint t, in Bls12381Fp2 xQ, in Bls12381Fp2 yQ, in Bls12381Fp xP, in Bls12381Fp yP, out Bls12381Fp2 a, out Bls12381Fp2 b, out Bls12381Fp2 c)
    {
        Bls12381Fp2 theta = t.Y - yQ * t.Z;
        Bls12381Fp2 lambda = t.X - xQ * t.Z;
        Bls12381Fp2 cc = theta.Square();
        Bls12381Fp2 d = lambda.Square();
        Bls12381Fp2 e = lambda * d;
        Bls12381Fp2 f = t.Z * cc;
        Bls12381Fp2 g = t.X * d;
        Bls12381Fp2 h = e + f - (g + g);

        a = theta * xQ - lambda * yQ;
        b = -(theta * xP);
        c = lambda * yP;

        t.X = lambda * h;
        t.Y = theta * (g - h) - e * t.Y;
        t.Z = t.Z * e;
    }

    /// <summary>
    /// f^(3·(p¹² − 1)/r): the easy part (p⁶ − 1)(p² + 1), then three times the hard part through
    /// 3·(p⁴ − p² + 1)/r = (u − 1)²·(u + p)·(u² + p² − 1) + 3 (Hayashida, Hayasaka and Teruya). Since 3 is
    /// coprime to r, the result is one exactly when the true pairing value is.
    /// </summary>
    public static Bls12381Fp12 FinalExponentiation(in Bls12381Fp12 f)
    {
        Bls12381Fp12 m = f.Conjugate() * f.Inverse();
        m = m.Frobenius(2) * m;

        Bls12381Fp12 a = PowUMinus1(PowUMinus1(m));           // m^((u−1)²)
        Bls12381Fp12 b = PowU(a) * a.Frobenius(1);             // a^(u+p)
        Bls12381Fp12 c = PowU(PowU(b)) * b.Frobenius(2) * b.Conjugate(); // b^(u²+p²−1)
        return c * m.CyclotomicSquare() * m;
    }

    /// <summary>x^u for x in the cyclotomic subgroup (u negative: conjugate of x^|u|).</summary>
    private static Bls12381Fp12 PowU(in Bls12381Fp12 x) => x.CyclotomicPow(AbsU).Conjugate();

    private static Bls12381Fp12 PowUMinus1(in Bls12381Fp12 x) => PowU(x) * x.Conjugate();
}
