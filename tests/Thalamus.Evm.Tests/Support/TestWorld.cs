using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Evm.Tests;

/// <summary>A world state with contracts, and a machine to call them as a transaction's top frame would.</summary>
public sealed class TestWorld
{
    public static readonly Address Sender = Address.Parse("0x1000000000000000000000000000000000000001");
    public static readonly Address Coinbase = Address.Parse("0xc0ffee0000000000000000000000000000000000");

    public WorldState State { get; } = new();
    public VirtualMachine Machine { get; }
    public BlockContext Block { get; } = new() { Number = 100, Timestamp = 1_700_000_000, GasLimit = 30_000_000, ChainId = 1, Coinbase = Coinbase };
    public TransactionContext Transaction { get; } = new() { Origin = Sender };

    public TestWorld(IExecutionTracer? tracer = null)
    {
        Machine = new VirtualMachine(tracer);
        State.SetBalance(Sender, UInt256.One << 100);
    }

    public static Address At(ulong n) => Address.FromUInt256(new UInt256(n, 0, 0x0c0d));

    public Address Deploy(ulong n, byte[] code, UInt256 balance = default)
    {
        var address = At(n);
        State.SetCode(address, code);
        State.SetNonce(address, 1);
        if (!balance.IsZero) State.SetBalance(address, balance);
        return address;
    }

    /// <summary>Begins a transaction, warms sender and target as a transaction would, and calls.</summary>
    public ExecutionResult Call(Address to, byte[]? input = null, long gas = 1_000_000, UInt256 value = default)
    {
        State.BeginTransaction();
        State.WarmAddress(Sender);
        State.WarmAddress(to);
        return Machine.Call(State, Block, Transaction, Sender, to, value, input ?? [], gas);
    }

    public ExecutionResult Create(byte[] initCode, long gas = 1_000_000, UInt256 value = default)
    {
        State.BeginTransaction();
        State.WarmAddress(Sender);
        return Machine.Create(State, Block, Transaction, Sender, value, initCode, gas);
    }
}
