namespace Thalamus.Evm.Precompiles;

// 0x0a KZG point evaluation (EIP-4844):
// versioned hash (32) || z (32) || y (32) || commitment (48) || proof (48).
public static partial class PrecompileRegistry
{
    public const long PointEvaluationGas = 50000;
    public const int PointEvaluationInputLength = 192;
    public const byte KzgVersionedHashVersion = 0x01;

    /// <summary>FIELD_ELEMENTS_PER_BLOB (4096) || BLS_MODULUS, each a 32-byte big-endian word.</summary>
    private static ReadOnlySpan<byte> PointEvaluationReturnValue =>
    [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00,
        0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8, 0x08, 0x09, 0xa1, 0xd8, 0x05,
        0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe, 0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01,
    ];

    private static PrecompileResult PointEvaluation(ReadOnlySpan<byte> input, long gasAvailable)
    {
        if (!CanPay(PointEvaluationGas, gasAvailable) || input.Length != PointEvaluationInputLength)
            return PrecompileResult.Failure(gasAvailable);

        // The versioned hash must be that of the commitment: sha256(commitment) with its first byte
        // replaced by the KZG version. Checked here so the proof check never sees a mismatched pair.
        Span<byte> versionedHash = stackalloc byte[32];
        Crypto.Sha256.Compute(input.Slice(96, 48), versionedHash);
        versionedHash[0] = KzgVersionedHashVersion;
        if (!versionedHash.SequenceEqual(input[..32]))
            return PrecompileResult.Failure(gasAvailable);

        return Crypto.Kzg.TryVerifyPointEvaluation(input)
            ? new PrecompileResult(true, PointEvaluationGas, PointEvaluationReturnValue.ToArray())
            : PrecompileResult.Failure(gasAvailable);
    }
}
