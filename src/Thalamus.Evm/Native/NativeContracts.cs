using Thalamus.Core;
using Thalamus.Evm.Precompiles;
using Thalamus.State;

namespace Thalamus.Evm;

/// <summary>
/// The native contracts of a chain (the model: revm's <c>PrecompileProvider</c>): one lookup the
/// interpreter uses for calls and the transaction processor for warming. Immutable; a cluster chain's
/// set is <see cref="Cancun"/> plus what its modules add (<see cref="With"/>).
/// </summary>
public sealed class NativeContracts
{
    /// <summary>The Cancun precompiles 0x01–0x0a, nothing else (a lone chain).</summary>
    public static NativeContracts Cancun { get; } = new(
        Enumerable.Range(PrecompileRegistry.EcRecoverAddress, PrecompileRegistry.LastAddress)
            .Select(n => (NativeContract)new CancunPrecompile((byte)n)).ToArray());

    // Addresses 0x00…00XX (where Ethereum puts precompiles) by their last byte, the rest by address.
    private readonly NativeContract?[] _low = new NativeContract?[256];
    private readonly Dictionary<Address, NativeContract> _high = [];
    private readonly NativeContract[] _all;
    private readonly Address[] _warm;
    private readonly NativeContract[] _scoped;

    private NativeContracts(NativeContract[] contracts)
    {
        foreach (var contract in contracts)
        {
            if (Find(contract.Address) is not null)
                throw new ArgumentException($"two native contracts at {contract.Address}", nameof(contracts));
            if (IsLow(contract.Address, out var index)) _low[index] = contract;
            else _high[contract.Address] = contract;
        }
        _all = contracts;
        _warm = [.. contracts.Where(c => c.WarmAtTransactionStart).Select(c => c.Address)];
        _scoped = [.. contracts.Where(c => c.HasTransactionScope)];
    }

    /// <summary>Every contract, in the order added.</summary>
    public IReadOnlyList<NativeContract> All => _all;

    /// <summary>This set plus <paramref name="contracts"/>; an address taken twice is an <see cref="ArgumentException"/>.</summary>
    public NativeContracts With(IEnumerable<NativeContract> contracts) => new([.. _all, .. contracts]);

    /// <summary>The native contract at <paramref name="address"/>, or null.</summary>
    public NativeContract? Find(in Address address)
    {
        if (IsLow(address, out var index)) return _low[index];
        return _high.Count == 0 ? null : _high.GetValueOrDefault(address);
    }

    /// <summary>Warms the contracts that start every transaction warm.</summary>
    public void WarmAll(IWorldState state)
    {
        foreach (var address in _warm) state.WarmAddress(address);
    }

    /// <summary>Tells the contracts with a transaction scope that a transaction ended.</summary>
    public void TransactionEnded(IWorldState state, BlockContext block)
    {
        foreach (var contract in _scoped) contract.TransactionEnded(state, block);
    }

    internal static Address LowAddress(byte number)
    {
        Span<byte> bytes = stackalloc byte[Address.Length];
        bytes[^1] = number;
        return new Address(bytes);
    }

    private static bool IsLow(in Address address, out byte index)
    {
        ReadOnlySpan<byte> bytes = address.Bytes;
        index = bytes[Address.Length - 1];
        return bytes[..(Address.Length - 1)].IndexOfAnyExcept((byte)0) < 0;
    }
}
