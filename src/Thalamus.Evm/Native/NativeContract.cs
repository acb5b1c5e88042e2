using Thalamus.Core;
using Thalamus.Evm.Precompiles;
using Thalamus.State;

namespace Thalamus.Evm;

/// <summary>
/// A contract implemented in C# at a fixed address: the Cancun precompiles, and what cluster modules
/// add (the synchronous <c>CrossChainCall</c>, later the DLX unit). Found through one
/// <see cref="NativeContracts"/> lookup by the interpreter for calls and by the transaction processor
/// for warming.
/// </summary>
public abstract class NativeContract(Address address)
{
    public Address Address { get; } = address;

    /// <summary>
    /// True (Ethereum's precompiles): any call kind reaches it, the value moves to the address and the
    /// address is touched first. False: only a CALL or STATICCALL without value reaches it (anything
    /// else fails and consumes the gas), and the address is never touched, so it stays an empty account.
    /// </summary>
    public virtual bool IsPrecompile => true;

    /// <summary>Warm at the start of every transaction (EIP-2929 does so for the precompiles).</summary>
    public virtual bool WarmAtTransactionStart => true;

    /// <summary>
    /// Runs one call. A result that is not <see cref="PrecompileResult.Success"/>, or that uses more gas
    /// than given, fails the call: its state changes are reverted and all its gas is consumed.
    /// </summary>
    public abstract PrecompileResult Run(in NativeCall call);

    /// <summary>True when the contract wants <see cref="TransactionEnded"/>.</summary>
    public virtual bool HasTransactionScope => false;

    /// <summary>The transaction that called (or could have called) it has ended; its state's journal is final.</summary>
    public virtual void TransactionEnded(IWorldState state, BlockContext block)
    {
    }
}

/// <summary>One call of a <see cref="NativeContract"/>.</summary>
public readonly ref struct NativeCall
{
    internal NativeCall(IWorldState state, BlockContext block, in Address caller, in UInt256 value, byte[] input, long gas, bool isStatic)
    {
        State = state;
        Block = block;
        Caller = caller;
        Value = value;
        Input = input;
        Gas = gas;
        IsStatic = isStatic;
    }

    /// <summary>The calling chain's state (journaled: the call's changes revert with its frame).</summary>
    public IWorldState State { get; }
    public BlockContext Block { get; }
    public Address Caller { get; }
    public UInt256 Value { get; }
    public byte[] Input { get; }
    public long Gas { get; }
    public bool IsStatic { get; }
}

/// <summary>An Ethereum precompile (0x01–0x0a): a pure function of its input, priced by <see cref="PrecompileRegistry"/>.</summary>
internal sealed unsafe class CancunPrecompile(byte number) : NativeContract(NativeContracts.LowAddress(number))
{
    private readonly delegate*<ReadOnlySpan<byte>, long, PrecompileResult> _run = PrecompileRegistry.FunctionOf(number);

    public override PrecompileResult Run(in NativeCall call) => _run(call.Input, call.Gas);
}
