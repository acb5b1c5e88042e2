using System.Runtime.CompilerServices;

// The field, curve and pairing internals are tested directly (against BigInteger arithmetic and algebraic laws).
[assembly: InternalsVisibleTo("Thalamus.Crypto.Tests")]

namespace Thalamus.Crypto;

/// <summary>
/// The BN254 (alt_bn128) operations behind the EVM precompiles 0x06 (add), 0x07 (scalar multiplication)
/// and 0x08 (pairing check), as specified by EIP-196 and EIP-197. Inputs are the fixed-length encodings
/// (the caller pads them); field elements are 32-byte big-endian, the point at infinity is (0, 0), and an
/// F_p² element a·i + b is encoded as a then b (imaginary part first).
/// </summary>
public static class Bn254
{
    private const int G1Size = 64;
    private const int G2Size = 128;
    private const int PairSize = G1Size + G2Size;

    /// <summary>P + Q. False when either input has a coordinate ≥ p or is not on the curve.</summary>
    public static bool TryAdd(ReadOnlySpan<byte> input128, Span<byte> output64)
    {
        CheckLength(input128, 128, nameof(input128));
        CheckLength(output64, 64, nameof(output64));
        if (!TryReadG1(input128.Slice(0, G1Size), out var p) || !TryReadG1(input128.Slice(G1Size, G1Size), out var q))
            return false;
        WriteG1(p + q, output64);
        return true;
    }

    /// <summary>s·P for a 256-bit big-endian scalar s. False when P has a coordinate ≥ p or is not on the curve.</summary>
    public static bool TryMultiply(ReadOnlySpan<byte> input96, Span<byte> output64)
    {
        CheckLength(input96, 96, nameof(input96));
        CheckLength(output64, 64, nameof(output64));
        if (!TryReadG1(input96.Slice(0, G1Size), out var p))
            return false;
        Span<ulong> scalar = stackalloc ulong[4];
        Bn254Scalar.ReadBigEndian(input96.Slice(G1Size, 32), scalar);
        WriteG1(p.Multiply(scalar), output64);
        return true;
    }

    /// <summary>
    /// Checks e(P1, Q1)·…·e(Pk, Qk) = 1 for k = input.Length / 192 pairs (k = 0 gives true). Returns false
    /// (invalid input) when the length is not a multiple of 192, a coordinate is ≥ p, a point is off its
    /// curve, or a G2 point is outside the order-r subgroup.
    /// </summary>
    public static bool TryPairingCheck(ReadOnlySpan<byte> input, out bool isOne)
    {
        isOne = false;
        if (input.Length % PairSize != 0)
            return false;
        int pairs = input.Length / PairSize;
        bool small = pairs <= Bn254Pairing.MaxStackPairs;
        Span<Bn254Fp> px = small ? stackalloc Bn254Fp[pairs] : new Bn254Fp[pairs];
        Span<Bn254Fp> py = small ? stackalloc Bn254Fp[pairs] : new Bn254Fp[pairs];
        Span<Bn254Fp2> qx = small ? stackalloc Bn254Fp2[pairs] : new Bn254Fp2[pairs];
        Span<Bn254Fp2> qy = small ? stackalloc Bn254Fp2[pairs] : new Bn254Fp2[pairs];
        int used = 0;
        for (int k = 0; k < pairs; k++)
        {
            ReadOnlySpan<byte> pair = input.Slice(k * PairSize, PairSize);
            if (!TryReadG1Affine(pair.Slice(0, G1Size), out var x1, out var y1, out bool pInfinity))
                return false;
            if (!TryReadG2Affine(pair.Slice(G1Size, G2Size), out var x2, out var y2, out bool qInfinity))
                return false;
            if (pInfinity || qInfinity)
                continue; // e(O, Q) = e(P, O) = 1
            px[used] = x1;
            py[used] = y1;
            qx[used] = x2;
            qy[used] = y2;
            used++;
        }
        if (used == 0)
        {
            isOne = true;
            return true;
        }
        Bn254Fp12 f = Bn254Pairing.MillerLoop(px.Slice(0, used), py.Slice(0, used), qx.Slice(0, used), qy.Slice(0, used));
        isOne = Bn254Pairing.FinalExponentiation(f).IsOne;
        return true;
    }

    private static bool TryReadG1(ReadOnlySpan<byte> encoded, out Bn254G1 point)
    {
        if (!TryReadG1Affine(encoded, out var x, out var y, out bool infinity))
        {
            point = default;
            return false;
        }
        point = infinity ? Bn254G1.Infinity : Bn254G1.FromAffine(x, y);
        return true;
    }

    private static bool TryReadG1Affine(ReadOnlySpan<byte> encoded, out Bn254Fp x, out Bn254Fp y, out bool infinity)
    {
        infinity = false;
        y = default;
        if (!Bn254Fp.TryFromBigEndian(encoded.Slice(0, 32), out x) || !Bn254Fp.TryFromBigEndian(encoded.Slice(32, 32), out y))
            return false;
        if (x.IsZero && y.IsZero)
        {
            infinity = true;
            return true;
        }
        return Bn254G1.IsOnCurve(x, y);
    }

    private static bool TryReadG2Affine(ReadOnlySpan<byte> encoded, out Bn254Fp2 x, out Bn254Fp2 y, out bool infinity)
    {
        infinity = false;
        x = default;
        y = default;
        // Each F_p² coordinate is encoded imaginary part first.
        if (!Bn254Fp.TryFromBigEndian(encoded.Slice(0, 32), out var xIm) || !Bn254Fp.TryFromBigEndian(encoded.Slice(32, 32), out var xRe)
            || !Bn254Fp.TryFromBigEndian(encoded.Slice(64, 32), out var yIm) || !Bn254Fp.TryFromBigEndian(encoded.Slice(96, 32), out var yRe))
            return false;
        x = new Bn254Fp2(xRe, xIm);
        y = new Bn254Fp2(yRe, yIm);
        if (x.IsZero && y.IsZero)
        {
            infinity = true;
            return true;
        }
        return Bn254G2.IsOnCurve(x, y) && Bn254G2.FromAffine(x, y).IsInSubgroup();
    }

    private static void WriteG1(in Bn254G1 point, Span<byte> output64)
    {
        point.ToAffine(out var x, out var y);
        x.WriteBigEndian(output64.Slice(0, 32));
        y.WriteBigEndian(output64.Slice(32, 32));
    }

    private static void CheckLength(ReadOnlySpan<byte> span, int expected, string name)
    {
        if (span.Length != expected)
            throw new ArgumentException($"expected {expected} bytes, got {span.Length}", name);
    }
}
