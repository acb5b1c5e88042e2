using System.Globalization;
using System.Text;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Conformance;

/// <summary>The parts of a state test shared by all its post-state entries: the pre-state and the block environment.</summary>
internal sealed class StateTestFixture
{
    /// <summary>Geth's state-test default when <c>currentBaseFee</c> is absent.</summary>
    private const ulong DefaultBaseFee = 10;

    public required IReadOnlyList<StateTestAccount> Pre { get; init; }
    public required Address Coinbase { get; init; }
    public required ulong Number { get; init; }
    public required ulong Timestamp { get; init; }
    public required long GasLimit { get; init; }
    public required UInt256 BaseFee { get; init; }
    public required Hash256 PrevRandao { get; init; }
    public required UInt256 BlobBaseFee { get; init; }

    public static StateTestFixture Parse(JsonElement test)
    {
        var env = test.GetProperty("env");
        var pre = new List<StateTestAccount>();
        foreach (var account in test.GetProperty("pre").EnumerateObject())
            pre.Add(StateTestAccount.Parse(account.Name, account.Value));

        var gasLimit = ParseUInt256(env.GetProperty("currentGasLimit"));
        var random = env.TryGetProperty("currentRandom", out var r) ? r : env.GetProperty("currentDifficulty");
        var excessBlobGas = env.TryGetProperty("currentExcessBlobGas", out var e) ? ParseUInt64(e) : 0;
        return new StateTestFixture
        {
            Pre = pre,
            Coinbase = Address.Parse(env.GetProperty("currentCoinbase").GetString()!),
            Number = ParseUInt64(env.GetProperty("currentNumber")),
            Timestamp = ParseUInt64(env.GetProperty("currentTimestamp")),
            GasLimit = gasLimit > new UInt256(long.MaxValue) ? long.MaxValue : (long)gasLimit,
            BaseFee = env.TryGetProperty("currentBaseFee", out var b) ? ParseUInt256(b) : DefaultBaseFee,
            PrevRandao = Hash256.FromUInt256(ParseUInt256(random)),
            BlobBaseFee = BlobGas.BaseFee(excessBlobGas),
        };
    }

    /// <summary>A fresh world state holding the pre-state, with the transaction scope cleared.</summary>
    public WorldState BuildState()
    {
        var state = new WorldState();
        foreach (var account in Pre) account.ApplyTo(state);
        state.BeginTransaction();
        return state;
    }

    public BlockContext BuildBlock() => new()
    {
        Coinbase = Coinbase,
        Number = Number,
        Timestamp = Timestamp,
        GasLimit = GasLimit,
        BaseFee = BaseFee,
        PrevRandao = PrevRandao,
        BlobBaseFee = BlobBaseFee,
        ChainId = 1,
        BlockHashProvider = TestBlockHash,
    };

    /// <summary>As geth's state-test runner: the hash of block n is keccak256 of n written in decimal.</summary>
    public static Hash256 TestBlockHash(ulong number) =>
        Keccak256.Compute(Encoding.ASCII.GetBytes(number.ToString(CultureInfo.InvariantCulture)));

    public static UInt256 ParseUInt256(JsonElement element) => UInt256.Parse(element.GetString()!);

    public static ulong ParseUInt64(JsonElement element)
    {
        var value = ParseUInt256(element);
        if (!value.IsUInt64) throw new FormatException($"value {element.GetString()} does not fit in 64 bits");
        return (ulong)value;
    }
}
