using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Evm;

/// <summary>
/// Runs a piece of runtime bytecode on its own, as <c>thalamus evm run</c>, the benchmark output
/// tests and the EVM benchmarks do: the code is deployed at <see cref="ContractAddress"/> in a
/// fresh in-memory state and called from <see cref="SenderAddress"/>. Every run starts from the
/// same state (changes are rolled back afterwards), so repeated runs are identical.
/// </summary>
public sealed class CodeRunner
{
    public static readonly Address ContractAddress = Address.Parse("0xc0de00000000000000000000000000000000c0de");
    public static readonly Address SenderAddress = Address.Parse("0x5e4de400000000000000000000000000005e4de4");

    private readonly WorldState _state = new();
    private readonly VirtualMachine _machine;
    private readonly BlockContext _block;
    private readonly TransactionContext _transaction;

    public CodeRunner(byte[] code, IExecutionTracer? tracer = null, long blockGasLimit = long.MaxValue)
    {
        _state.SetCode(ContractAddress, code);
        _state.SetNonce(ContractAddress, 1);
        _state.SetBalance(SenderAddress, UInt256.One << 200);
        _machine = new VirtualMachine(tracer);
        _block = new BlockContext { Number = 1, Timestamp = 1, GasLimit = blockGasLimit, ChainId = 1, BaseFee = UInt256.Zero };
        _transaction = new TransactionContext { Origin = SenderAddress, GasPrice = UInt256.Zero };
    }

    public IWorldState State => _state;

    /// <summary>Calls the code with <paramref name="input"/> and <paramref name="gas"/>; the state is left as it was.</summary>
    public ExecutionResult Run(byte[] input, long gas)
    {
        _state.BeginTransaction();
        _state.WarmAddress(SenderAddress);
        _state.WarmAddress(ContractAddress);
        var snapshot = _state.TakeSnapshot();
        var result = _machine.Call(_state, _block, _transaction, SenderAddress, ContractAddress, UInt256.Zero, input, gas);
        _state.Revert(snapshot);
        return result;
    }
}
