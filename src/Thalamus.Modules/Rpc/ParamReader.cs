using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Rpc;

/// <summary>
/// Reads a request's positional params array one argument at a time. Every failure is an
/// <see cref="RpcException"/> with code -32602 naming the argument by index and name, e.g.
/// "invalid argument 0 (address): hex string without 0x prefix". A missing or null optional
/// argument yields the default. The array was validated as well-formed JSON beforehand.
/// </summary>
public ref struct ParamReader
{
    private Utf8JsonReader _reader;
    private bool _ended;
    private int _next;
    private int _current;
    private string _name;

    /// <param name="paramsArray">The raw JSON array, or empty when the request had no params.</param>
    public ParamReader(ReadOnlySpan<byte> paramsArray)
    {
        _reader = new Utf8JsonReader(paramsArray);
        _ended = paramsArray.IsEmpty;
        _name = "";
        if (!_ended) _reader.Read();
    }

    /// <summary>Fails when arguments remain (geth: "too many arguments, want at most N").</summary>
    public void End()
    {
        if (_ended) return;
        _reader.Read();
        if (_reader.TokenType != JsonTokenType.EndArray)
            throw RpcException.InvalidParams($"too many arguments, want at most {_next}");
        _ended = true;
    }

    public ulong ReadQuantity(string name)
    {
        Next(name, required: true);
        ulong value = 0;
        Check(RpcJsonReader.Quantity(ref _reader, out value));
        return value;
    }

    public UInt256 ReadQuantity256(string name)
    {
        Next(name, required: true);
        UInt256 value = default;
        Check(RpcJsonReader.Quantity(ref _reader, out value));
        return value;
    }

    public UInt256 ReadStorageSlot(string name)
    {
        Next(name, required: true);
        UInt256 value = default;
        Check(RpcJsonReader.StorageSlot(ref _reader, out value));
        return value;
    }

    public ulong ReadFlexibleUInt64(string name)
    {
        Next(name, required: true);
        ulong value = 0;
        Check(RpcJsonReader.FlexibleUInt64(ref _reader, out value));
        return value;
    }

    public ulong? ReadOptionalFlexibleUInt64(string name)
    {
        if (!Next(name, required: false)) return null;
        ulong value = 0;
        Check(RpcJsonReader.FlexibleUInt64(ref _reader, out value));
        return value;
    }

    public Address ReadAddress(string name)
    {
        Next(name, required: true);
        Address value = default;
        Check(RpcJsonReader.Address(ref _reader, out value));
        return value;
    }

    public Hash256 ReadHash(string name)
    {
        Next(name, required: true);
        Hash256 value = default;
        Check(RpcJsonReader.Hash(ref _reader, out value));
        return value;
    }

    public byte[] ReadData(string name)
    {
        Next(name, required: true);
        byte[] value = [];
        Check(RpcJsonReader.Data(ref _reader, out value));
        return value;
    }

    public bool ReadBool(string name)
    {
        Next(name, required: true);
        var value = false;
        Check(RpcJsonReader.Bool(ref _reader, out value));
        return value;
    }

    public bool ReadOptionalBool(string name, bool defaultValue)
    {
        if (!Next(name, required: false)) return defaultValue;
        var value = false;
        Check(RpcJsonReader.Bool(ref _reader, out value));
        return value;
    }

    public string ReadString(string name)
    {
        Next(name, required: true);
        var value = "";
        Check(RpcJsonReader.String(ref _reader, out value));
        return value;
    }

    /// <summary>A tag or number only (eth_getBlockByNumber and friends).</summary>
    public BlockSelector ReadBlockTag(string name)
    {
        Next(name, required: true);
        var value = BlockSelector.Latest;
        Check(RpcJsonReader.BlockTag(ref _reader, out value));
        return value;
    }

    /// <summary>EIP-1898 block parameter, "latest" when missing.</summary>
    public BlockSelector ReadOptionalBlock(string name)
    {
        if (!Next(name, required: false)) return BlockSelector.Latest;
        var value = BlockSelector.Latest;
        Check(RpcJsonReader.BlockSelectorValue(ref _reader, out value));
        return value;
    }

    public CallRequest ReadCallRequest(string name, out ulong? chainId)
    {
        Next(name, required: true);
        CallRequest value = new();
        chainId = null;
        Check(RpcJsonReader.CallRequestValue(ref _reader, out value, out chainId));
        return value;
    }

    public LogFilterRequest ReadLogFilter(string name)
    {
        Next(name, required: true);
        LogFilterRequest value = new();
        Check(RpcJsonReader.LogFilterValue(ref _reader, out value));
        return value;
    }

    public LogFilterRequest? ReadOptionalLogFilter(string name)
    {
        if (!Next(name, required: false)) return null;
        LogFilterRequest value = new();
        Check(RpcJsonReader.LogFilterValue(ref _reader, out value));
        return value;
    }

    public double[] ReadOptionalPercentiles(string name)
    {
        if (!Next(name, required: false)) return [];
        double[] value = [];
        Check(RpcJsonReader.Percentiles(ref _reader, out value));
        return value;
    }

    /// <summary>An argument this node does not support unless it is absent or null (e.g. eth_call state overrides).</summary>
    public void RejectUnlessAbsent(string name, string why)
    {
        if (!Next(name, required: false)) return;
        _reader.Skip();
        throw RpcException.InvalidParams($"invalid argument {_current} ({name}): {why}");
    }

    /// <summary>True and positioned on the argument when present and not null; the caller must read it.</summary>
    public bool TryPeekKind(string name, out JsonTokenType kind)
    {
        kind = JsonTokenType.None;
        if (!Next(name, required: false)) return false;
        kind = _reader.TokenType;
        return true;
    }

    /// <summary>After <see cref="TryPeekKind"/>: reads the current argument with a <see cref="RpcJsonReader"/> function.</summary>
    [UnscopedRef]
    public ref Utf8JsonReader Current => ref _reader;

    /// <summary>Throws the -32602 error for the current argument when <paramref name="error"/> is set.</summary>
    public readonly void Check(string? error)
    {
        if (error is not null) throw RpcException.InvalidParams($"invalid argument {_current} ({_name}): {error}");
    }

    private bool Next(string name, bool required)
    {
        _name = name;
        _current = _next++;
        if (!_ended)
        {
            _reader.Read();
            if (_reader.TokenType == JsonTokenType.EndArray) _ended = true;
        }
        if (_ended || _reader.TokenType == JsonTokenType.Null)
        {
            if (required) throw RpcException.InvalidParams($"missing value for required argument {_current} ({name})");
            return false;
        }
        return true;
    }
}
