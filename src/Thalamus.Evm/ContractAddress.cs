using System.Buffers.Binary;
using Thalamus.Core;

namespace Thalamus.Evm;

/// <summary>Where CREATE and CREATE2 put a new contract.</summary>
public static class ContractAddress
{
    /// <summary>CREATE (and contract-creating transactions): keccak256(rlp([sender, nonce]))[12..].</summary>
    public static Address From(in Address sender, ulong nonce)
    {
        // rlp([sender, nonce]) is at most 1 + 21 + 9 = 31 bytes, so the list header is a single byte.
        Span<byte> buffer = stackalloc byte[32];
        var length = 1;
        buffer[length++] = 0x80 + Address.Length;
        sender.Bytes.CopyTo(buffer[length..]);
        length += Address.Length;
        if (nonce == 0)
        {
            buffer[length++] = 0x80;
        }
        else if (nonce < 0x80)
        {
            buffer[length++] = (byte)nonce;
        }
        else
        {
            var byteCount = 8 - (System.Numerics.BitOperations.LeadingZeroCount(nonce) >> 3);
            buffer[length++] = (byte)(0x80 + byteCount);
            Span<byte> be = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(be, nonce);
            be[(8 - byteCount)..].CopyTo(buffer[length..]);
            length += byteCount;
        }
        buffer[0] = (byte)(0xc0 + length - 1);
        return FromHash(buffer[..length]);
    }

    /// <summary>CREATE2 (EIP-1014): keccak256(0xff ‖ sender ‖ salt ‖ keccak256(initCode))[12..].</summary>
    public static Address From(in Address sender, in UInt256 salt, in Hash256 initCodeHash)
    {
        Span<byte> buffer = stackalloc byte[1 + Address.Length + 32 + 32];
        buffer[0] = 0xff;
        sender.Bytes.CopyTo(buffer[1..]);
        salt.WriteBigEndian(buffer.Slice(1 + Address.Length, 32));
        initCodeHash.Bytes.CopyTo(buffer[(1 + Address.Length + 32)..]);
        return FromHash(buffer);
    }

    private static Address FromHash(ReadOnlySpan<byte> preimage)
    {
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Compute(preimage, hash);
        return new Address(hash[12..]);
    }
}
