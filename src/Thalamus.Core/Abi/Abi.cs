using System.Text;

namespace Thalamus.Core;

/// <summary>
/// The Solidity contract ABI for C# callers of contracts: selectors and event topics derived from
/// their canonical signatures (compute them once, into static readonly fields), the head/tail
/// encoding of static words, <c>bytes</c>/<c>string</c>, dynamic arrays and tuples
/// (<see cref="Encode"/>), and strict decoding (<see cref="AbiReader"/>).
/// </summary>
public static class Abi
{
    public const int WordLength = 32;

    /// <summary><c>Error(string)</c>: the revert data of Solidity's <c>require(cond, "reason")</c>.</summary>
    public static readonly AbiSelector ErrorSelector = Selector("Error(string)");

    /// <summary><c>Panic(uint256)</c>: the revert data of a failed assert, overflow or bad index.</summary>
    public static readonly AbiSelector PanicSelector = Selector("Panic(uint256)");

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>The first four bytes of keccak256(<paramref name="signature"/>), e.g. <c>transfer(address,uint256)</c>.</summary>
    public static AbiSelector Selector(string signature)
    {
        var hash = Keccak256.Compute(Encoding.ASCII.GetBytes(CheckSignature(signature)));
        AbiSelector.TryRead(hash.Bytes, out var selector);
        return selector;
    }

    /// <summary>topic 0 of an event: keccak256(<paramref name="signature"/>), e.g. <c>Transfer(address,address,uint256)</c>.</summary>
    public static Hash256 EventTopic(string signature) => Keccak256.Compute(Encoding.ASCII.GetBytes(CheckSignature(signature)));

    /// <summary><c>abi.encode(values...)</c>.</summary>
    public static byte[] Encode(params ReadOnlySpan<AbiValue> values)
    {
        var output = new byte[SequenceSize(values)];
        WriteSequence(output, values);
        return output;
    }

    /// <summary><c>abi.encodeWithSelector(selector, values...)</c>: calldata.</summary>
    public static byte[] EncodeCall(AbiSelector selector, params ReadOnlySpan<AbiValue> values)
    {
        var output = new byte[AbiSelector.Length + SequenceSize(values)];
        selector.WriteTo(output);
        WriteSequence(output.AsSpan(AbiSelector.Length), values);
        return output;
    }

    /// <summary><c>abi.encodeWithSignature(signature, values...)</c>; for code that runs once (tests, tools). Hot callers keep the selector.</summary>
    public static byte[] Call(string signature, params ReadOnlySpan<AbiValue> values) => EncodeCall(Selector(signature), values);

    /// <summary><c>Error(string)</c> revert data, as Solidity's <c>revert("...")</c> produces.</summary>
    public static byte[] EncodeError(string reason) => EncodeCall(ErrorSelector, AbiValue.String(reason));

    /// <summary>
    /// The reason of <c>Error(string)</c> revert data, <c>"panic: 0x.."</c> for <c>Panic(uint256)</c>, or null when
    /// <paramref name="revertData"/> is neither (or malformed).
    /// </summary>
    public static string? DecodeRevertReason(ReadOnlySpan<byte> revertData)
    {
        try
        {
            if (AbiReader.TryCall(revertData, PanicSelector, out var panic) && revertData.Length == AbiSelector.Length + WordLength)
                return "panic: " + panic.Word(0).ToHexString();
            return AbiReader.TryCall(revertData, ErrorSelector, out var error) ? error.String(0) : null;
        }
        catch (AbiException)
        {
            return null;
        }
    }

    /// <summary>UTF-8 that must be well formed (an <see cref="AbiException"/> otherwise).</summary>
    internal static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new AbiException("a string is not well-formed UTF-8");
        }
    }

    private static string CheckSignature(string signature)
    {
        ArgumentException.ThrowIfNullOrEmpty(signature);
        if (signature.Contains(' ') || !signature.EndsWith(')') || signature.IndexOf('(') <= 0)
            throw new ArgumentException($"'{signature}' is not a canonical signature such as transfer(address,uint256)", nameof(signature));
        return signature;
    }

    private static int Padded(int length) => (length + WordLength - 1) / WordLength * WordLength;

    /// <summary>Bytes of the encoding of <paramref name="value"/> alone (its tail when dynamic).</summary>
    private static int Size(in AbiValue value) => value.Kind switch
    {
        AbiValueKind.Word => WordLength,
        AbiValueKind.Bytes => WordLength + Padded(value.ByteValue.Length),
        AbiValueKind.Array => WordLength + SequenceSize(value.Items),
        _ => SequenceSize(value.Items),
    };

    private static int SequenceSize(ReadOnlySpan<AbiValue> values)
    {
        var size = 0;
        foreach (ref readonly var value in values) size += value.IsDynamic ? WordLength + Size(value) : Size(value);
        return size;
    }

    private static void Write(Span<byte> output, in AbiValue value)
    {
        switch (value.Kind)
        {
            case AbiValueKind.Word:
                value.WordValue.WriteBigEndian(output[..WordLength]);
                break;
            case AbiValueKind.Bytes:
                new UInt256((ulong)value.ByteValue.Length).WriteBigEndian(output[..WordLength]);
                value.ByteValue.CopyTo(output[WordLength..]);
                break;
            case AbiValueKind.Array:
                new UInt256((ulong)value.Items.Length).WriteBigEndian(output[..WordLength]);
                WriteSequence(output[WordLength..], value.Items);
                break;
            default:
                WriteSequence(output, value.Items);
                break;
        }
    }

    /// <summary>Heads in order (a static value in place, a dynamic one as the offset of its tail), then the tails.</summary>
    private static void WriteSequence(Span<byte> output, ReadOnlySpan<AbiValue> values)
    {
        var tail = 0;
        foreach (ref readonly var value in values) tail += value.IsDynamic ? WordLength : Size(value);
        var head = 0;
        foreach (ref readonly var value in values)
        {
            if (value.IsDynamic)
            {
                new UInt256((ulong)tail).WriteBigEndian(output.Slice(head, WordLength));
                Write(output[tail..], value);
                tail += Size(value);
                head += WordLength;
            }
            else
            {
                Write(output[head..], value);
                head += Size(value);
            }
        }
    }
}
