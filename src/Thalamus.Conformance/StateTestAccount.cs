using System.Text.Json;
using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Conformance;

/// <summary>One pre-state account of a state test.</summary>
internal sealed record StateTestAccount(Address Address, ulong Nonce, UInt256 Balance, byte[] Code, IReadOnlyList<KeyValuePair<UInt256, UInt256>> Storage)
{
    public static StateTestAccount Parse(string address, JsonElement account)
    {
        var storage = new List<KeyValuePair<UInt256, UInt256>>();
        if (account.TryGetProperty("storage", out var slots))
            foreach (var slot in slots.EnumerateObject())
                storage.Add(new(UInt256.Parse(slot.Name), StateTestFixture.ParseUInt256(slot.Value)));
        return new StateTestAccount(
            Address.Parse(address),
            account.TryGetProperty("nonce", out var n) ? StateTestFixture.ParseUInt64(n) : 0,
            account.TryGetProperty("balance", out var b) ? StateTestFixture.ParseUInt256(b) : UInt256.Zero,
            account.TryGetProperty("code", out var c) ? Hex.Decode(c.GetString()!) : [],
            storage);
    }

    public void ApplyTo(WorldState state)
    {
        state.SetBalance(Address, Balance);
        state.SetNonce(Address, Nonce);
        if (Code.Length > 0) state.SetCode(Address, Code);
        foreach (var (key, value) in Storage) state.SetStorage(Address, key, value);
    }
}
