using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Thalamus.Crypto;

/// <summary>
/// The libsecp256k1 entry points we use, bound once through <see cref="NativeLibrary"/> as
/// unmanaged function pointers, plus the single context every call shares.
/// </summary>
/// <remarks>
/// Function pointers instead of <c>DllImport</c> so that (a) a missing library surfaces as one
/// clear exception from our own code rather than a generic loader error on some later call, and
/// (b) we do not have to claim the assembly-wide DllImport resolver, which other code in this
/// assembly may need. All signatures are blittable: no marshalling, no per-call allocation.
/// Since libsecp256k1 0.2.0 a context is immutable after creation and randomisation, so the one
/// context is safe to use from any number of threads at once.
/// </remarks>
internal sealed unsafe class Secp256k1Native
{
    /// <summary>SECP256K1_CONTEXT_NONE (= SECP256K1_FLAGS_TYPE_CONTEXT): since 0.2.0 every context can sign and verify.</summary>
    private const uint ContextNone = 1;

    /// <summary>SECP256K1_EC_UNCOMPRESSED (= SECP256K1_FLAGS_TYPE_COMPRESSION).</summary>
    public const uint SerializeUncompressed = 2;

    /// <summary>Debian's libsecp256k1-1 (0.2.0) ships this soname; later sonames keep the calls we use.</summary>
    private static readonly string[] LibraryNames = ["libsecp256k1.so.1", "libsecp256k1.so.2", "libsecp256k1.so", "libsecp256k1.dylib", "libsecp256k1"];

    private static readonly Lock InitLock = new();
    private static Secp256k1Native? s_instance;

    public readonly nint Context;

    public readonly delegate* unmanaged<nint, byte*, byte*, int, int> RecoverableSignatureParseCompact;
    public readonly delegate* unmanaged<nint, byte*, int*, byte*, int> RecoverableSignatureSerializeCompact;
    public readonly delegate* unmanaged<nint, byte*, byte*, byte*, int> Recover;
    public readonly delegate* unmanaged<nint, byte*, byte*, byte*, nint, nint, int> SignRecoverable;
    public readonly delegate* unmanaged<nint, byte*, byte*, int> SignatureParseCompact;
    public readonly delegate* unmanaged<nint, byte*, byte*, byte*, int> Verify;
    public readonly delegate* unmanaged<nint, byte*, byte*, nuint, int> PublicKeyParse;
    public readonly delegate* unmanaged<nint, byte*, nuint*, byte*, uint, int> PublicKeySerialize;
    public readonly delegate* unmanaged<nint, byte*, byte*, int> PublicKeyCreate;
    public readonly delegate* unmanaged<nint, byte*, int> SecretKeyVerify;

    /// <summary>The bound library; loads it and creates the context on first use.</summary>
    public static Secp256k1Native Instance
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref s_instance) ?? Load();
    }

    private Secp256k1Native(nint library)
    {
        var create = (delegate* unmanaged<uint, nint>)Export(library, "secp256k1_context_create");
        var randomize = (delegate* unmanaged<nint, byte*, int>)Export(library, "secp256k1_context_randomize");
        var setIllegal = (delegate* unmanaged<nint, delegate* unmanaged<byte*, void*, void>, void*, void>)Export(library, "secp256k1_context_set_illegal_callback");

        RecoverableSignatureParseCompact = (delegate* unmanaged<nint, byte*, byte*, int, int>)Export(library, "secp256k1_ecdsa_recoverable_signature_parse_compact");
        RecoverableSignatureSerializeCompact = (delegate* unmanaged<nint, byte*, int*, byte*, int>)Export(library, "secp256k1_ecdsa_recoverable_signature_serialize_compact");
        Recover = (delegate* unmanaged<nint, byte*, byte*, byte*, int>)Export(library, "secp256k1_ecdsa_recover");
        SignRecoverable = (delegate* unmanaged<nint, byte*, byte*, byte*, nint, nint, int>)Export(library, "secp256k1_ecdsa_sign_recoverable");
        SignatureParseCompact = (delegate* unmanaged<nint, byte*, byte*, int>)Export(library, "secp256k1_ecdsa_signature_parse_compact");
        Verify = (delegate* unmanaged<nint, byte*, byte*, byte*, int>)Export(library, "secp256k1_ecdsa_verify");
        PublicKeyParse = (delegate* unmanaged<nint, byte*, byte*, nuint, int>)Export(library, "secp256k1_ec_pubkey_parse");
        PublicKeySerialize = (delegate* unmanaged<nint, byte*, nuint*, byte*, uint, int>)Export(library, "secp256k1_ec_pubkey_serialize");
        PublicKeyCreate = (delegate* unmanaged<nint, byte*, byte*, int>)Export(library, "secp256k1_ec_pubkey_create");
        SecretKeyVerify = (delegate* unmanaged<nint, byte*, int>)Export(library, "secp256k1_ec_seckey_verify");

        nint context = create(ContextNone);
        if (context == 0)
            throw new InvalidOperationException("secp256k1_context_create failed.");

        // The default illegal-argument callback calls abort(), killing the whole node. We validate
        // every argument ourselves, but a no-op callback makes any slip return 0 (= failure) instead.
        setIllegal(context, &IgnoreIllegalArgument, null);

        // Blinding for signing, against timing/power side channels; done before the context is
        // published, as randomisation is the one call that mutates it.
        byte* seed = stackalloc byte[32];
        RandomNumberGenerator.Fill(new Span<byte>(seed, 32));
        if (randomize(context, seed) != 1)
            throw new InvalidOperationException("secp256k1_context_randomize failed.");
        Context = context;
    }

    private static Secp256k1Native Load()
    {
        lock (InitLock)
        {
            if (s_instance is { } existing)
                return existing;

            nint library = 0;
            foreach (string name in LibraryNames)
            {
                if (NativeLibrary.TryLoad(name, out library))
                    break;
            }
            if (library == 0)
                throw new DllNotFoundException(
                    "libsecp256k1 (libsecp256k1.so.1) could not be loaded. Install Debian's libsecp256k1-1 " +
                    "('sudo apt-get install libsecp256k1-1'); the repository's ./thalamus wrapper installs it for you.");

            var instance = new Secp256k1Native(library);
            Volatile.Write(ref s_instance, instance);
            return instance;
        }
    }

    private static nint Export(nint library, string name) =>
        NativeLibrary.TryGetExport(library, name, out nint address)
            ? address
            : throw new EntryPointNotFoundException(
                $"libsecp256k1 has no '{name}': it must be built with the recovery module (Debian's libsecp256k1-1 is).");

    [UnmanagedCallersOnly]
    private static void IgnoreIllegalArgument(byte* message, void* data)
    {
    }
}
