using System.Buffers.Binary;
using Thalamus.Core;

namespace Thalamus.Crypto;

public static partial class HdKeyDerivation
{
    /// <summary>
    /// A BIP-32 extended private key: the key, its chain code and its place in the tree.
    /// Immutable; the byte properties return copies.
    /// </summary>
    public sealed class ExtendedKey
    {
        private readonly byte[] _privateKey;
        private readonly byte[] _chainCode;
        private readonly byte[] _compressedPublicKey;

        internal ExtendedKey(byte[] privateKey, byte[] chainCode, byte depth, uint parentFingerprint, uint childNumber)
        {
            _privateKey = privateKey;
            _chainCode = chainCode;
            Depth = depth;
            ParentFingerprint = parentFingerprint;
            ChildNumber = childNumber;

            Span<byte> publicKey = stackalloc byte[Secp256k1.PublicKeyLength];
            Secp256k1.PrivateKeyToPublicKey(privateKey, publicKey);
            PublicKey = publicKey.ToArray();
            Address = Secp256k1.PublicKeyToAddress(publicKey);

            // SEC 1 compressed form: 0x02 for an even Y, 0x03 for an odd one, then X.
            _compressedPublicKey = new byte[33];
            _compressedPublicKey[0] = (byte)(0x02 | (publicKey[63] & 1));
            publicKey[..32].CopyTo(_compressedPublicKey.AsSpan(1));

            Span<byte> sha = stackalloc byte[32];
            Span<byte> hash160 = stackalloc byte[20];
            Sha256.Compute(_compressedPublicKey, sha);
            Ripemd160.Compute(sha, hash160);
            Fingerprint = BinaryPrimitives.ReadUInt32BigEndian(hash160);
        }

        /// <summary>The 32-byte private key (a copy).</summary>
        public byte[] PrivateKey => (byte[])_privateKey.Clone();

        /// <summary>The 32-byte chain code (a copy).</summary>
        public byte[] ChainCode => (byte[])_chainCode.Clone();

        /// <summary>The 33-byte SEC 1 compressed public key (a copy).</summary>
        public byte[] CompressedPublicKey => (byte[])_compressedPublicKey.Clone();

        /// <summary>The 64-byte public key X || Y, the form Ethereum hashes into an address.</summary>
        public byte[] PublicKey { get; }

        /// <summary>The Ethereum address of this key.</summary>
        public Address Address { get; }

        /// <summary>0 for the master key, one more per derivation step.</summary>
        public byte Depth { get; }

        /// <summary>The first 4 bytes of HASH160 of the parent's compressed public key (0 for the master).</summary>
        public uint ParentFingerprint { get; }

        /// <summary>The index this key was derived with (0 for the master).</summary>
        public uint ChildNumber { get; }

        /// <summary>The first 4 bytes of HASH160 of this key's compressed public key.</summary>
        public uint Fingerprint { get; }

        internal ReadOnlySpan<byte> PrivateKeySpan => _privateKey;
        internal ReadOnlySpan<byte> ChainCodeSpan => _chainCode;
        internal ReadOnlySpan<byte> CompressedPublicKeySpan => _compressedPublicKey;

        /// <summary>The child at <paramref name="index"/> (add <see cref="HardenedOffset"/> for hardened).</summary>
        public ExtendedKey Derive(uint index) => DeriveChild(this, index);

        /// <summary>Follows several indexes from this key.</summary>
        public ExtendedKey Derive(ReadOnlySpan<uint> indexes)
        {
            ExtendedKey key = this;
            foreach (uint index in indexes)
                key = DeriveChild(key, index);
            return key;
        }

        /// <summary>
        /// Follows a path from this key: relative ("0/1'") from any key, or absolute ("m/0'/1")
        /// from the master key only.
        /// </summary>
        public ExtendedKey Derive(string path)
        {
            uint[] indexes = ParsePath(path, out bool absolute);
            if (absolute && Depth != 0)
                throw new InvalidOperationException($"The absolute path \"{path}\" starts at the master key, but this key is at depth {Depth}; use a relative path.");
            return Derive(indexes);
        }

        /// <summary>The Base58Check "xprv…" serialisation (mainnet version bytes).</summary>
        public string ToExtendedPrivateKeyString()
        {
            Span<byte> payload = stackalloc byte[78];
            WriteHeader(payload, 0x0488ADE4);
            payload[45] = 0;
            _privateKey.CopyTo(payload[46..]);
            string result = Base58Check(payload);
            payload.Clear();
            return result;
        }

        /// <summary>The Base58Check "xpub…" serialisation (mainnet version bytes).</summary>
        public string ToExtendedPublicKeyString()
        {
            Span<byte> payload = stackalloc byte[78];
            WriteHeader(payload, 0x0488B21E);
            _compressedPublicKey.CopyTo(payload[45..]);
            return Base58Check(payload);
        }

        /// <summary>Never prints key material.</summary>
        public override string ToString() => $"BIP-32 key depth {Depth}, child {FormatIndex(ChildNumber)}, address {Address.ToChecksumString()}";

        private void WriteHeader(Span<byte> payload, uint version)
        {
            BinaryPrimitives.WriteUInt32BigEndian(payload, version);
            payload[4] = Depth;
            BinaryPrimitives.WriteUInt32BigEndian(payload[5..], ParentFingerprint);
            BinaryPrimitives.WriteUInt32BigEndian(payload[9..], ChildNumber);
            _chainCode.CopyTo(payload[13..]);
        }
    }
}
