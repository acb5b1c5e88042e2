using System.Security.Cryptography;

namespace Thalamus.Crypto;

/// <summary>
/// The EIP-4844 point evaluation check behind precompile 0x0a: a KZG proof that the blob polynomial
/// committed to by <c>commitment</c> takes the value y at z.
/// </summary>
public static class Kzg
{
    /// <summary>The version byte of a blob versioned hash (VERSIONED_HASH_VERSION_KZG).</summary>
    public const byte VersionedHashVersion = 0x01;

    private const int InputSize = 192;

    /// <summary>
    /// input = versioned_hash(32) | z(32) | y(32) | commitment(48) | proof(48). True when the versioned hash
    /// is 0x01 ‖ sha256(commitment)[1..], z and y are below the BLS12-381 scalar modulus, commitment and proof
    /// are valid compressed G1 points in the subgroup, and e(commitment − [y]G1, G2) = e(proof, [τ]G2 − [z]G2).
    /// Any other input (including a length other than 192) gives false.
    /// </summary>
    public static bool TryVerifyPointEvaluation(ReadOnlySpan<byte> input192)
    {
        if (input192.Length != InputSize)
            return false;
        ReadOnlySpan<byte> versionedHash = input192.Slice(0, 32);
        ReadOnlySpan<byte> z = input192.Slice(32, 32);
        ReadOnlySpan<byte> y = input192.Slice(64, 32);
        ReadOnlySpan<byte> commitment = input192.Slice(96, 48);
        ReadOnlySpan<byte> proof = input192.Slice(144, 48);

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(commitment, hash);
        hash[0] = VersionedHashVersion;
        if (!hash.SequenceEqual(versionedHash))
            return false;

        Span<ulong> zLimbs = stackalloc ulong[4];
        Span<ulong> yLimbs = stackalloc ulong[4];
        if (!Bls12381Scalar.TryReadCanonical(z, zLimbs) || !Bls12381Scalar.TryReadCanonical(y, yLimbs))
            return false;
        if (!Bls12381Encoding.TryDecompressG1(commitment, out var c) || !Bls12381Encoding.TryDecompressG1(proof, out var pi))
            return false;

        return VerifyProof(c, zLimbs, yLimbs, pi);
    }

    /// <summary>e(C − [y]G1, −G2) · e(π, [τ]G2 − [z]G2) = 1, with one shared final exponentiation.</summary>
    internal static bool VerifyProof(in Bls12381G1 commitment, ReadOnlySpan<ulong> z, ReadOnlySpan<ulong> y, in Bls12381G1 proof)
    {
        Bls12381G1 p1 = commitment + Bls12381G1.Generator.Multiply(y).Negate();
        Bls12381G2 q1 = KzgTrustedSetup.G2Generator.Negate();
        Bls12381G1 p2 = proof;
        Bls12381G2 q2 = KzgTrustedSetup.G2Tau + KzgTrustedSetup.G2Generator.Multiply(z).Negate();

        Span<Bls12381Fp> px = stackalloc Bls12381Fp[2];
        Span<Bls12381Fp> py = stackalloc Bls12381Fp[2];
        Span<Bls12381Fp2> qx = stackalloc Bls12381Fp2[2];
        Span<Bls12381Fp2> qy = stackalloc Bls12381Fp2[2];
        int used = 0;
        AddPair(p1, q1, px, py, qx, qy, ref used);
        AddPair(p2, q2, px, py, qx, qy, ref used);
        if (used == 0)
            return true;
        Bls12381Fp12 f = Bls12381Pairing.MillerLoop(px.Slice(0, used), py.Slice(0, used), qx.Slice(0, used), qy.Slice(0, used));
        return Bls12381Pairing.FinalExponentiation(f).IsOne;
    }

    private static void AddPair(in Bls12381G1 p, in Bls12381G2 q, Span<Bls12381Fp> px, Span<Bls12381Fp> py, Span<Bls12381Fp2> qx, Span<Bls12381Fp2> qy, ref int used)
    {
        if (p.IsInfinity || q.IsInfinity)
            return; // e(O, Q) = e(P, O) = 1
        p.ToAffine(out px[used], out py[used]);
        q.ToAffine(out qx[used], out qy[used]);
        used++;
    }
}
