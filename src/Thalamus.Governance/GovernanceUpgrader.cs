using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.Evm.Precompiles;

namespace Thalamus.Governance;

/// <summary>
/// The native contract that applies an approved predeploy upgrade (docs/governance.md, "Upgrades"), at
/// <see cref="GovernanceContracts.Upgrader"/> on every chain: <c>upgrade(address target, bytes code, bytes32 change)</c>
/// sets <paramref name="code"/> as <c>target</c>'s runtime code through the calling transaction's state journal, so
/// the change is part of a block (a system transaction signed by <c>thalamus.governance</c>, proposed by the module at
/// the slot after the approval) and a replay or a verifier re-executing the block reaches the same state. Accepts only
/// the governance account; refuses a target without code (not a predeploy on this chain), empty code or more than
/// 24576 bytes, and a static call.
/// Idempotent: a target that already has the code is left as is (no event), so a proposal seen twice changes nothing.
/// </summary>
public sealed class GovernanceUpgrader() : NativeContract(GovernanceContracts.Upgrader)
{
    public static GovernanceUpgrader Instance { get; } = new();

    public static readonly AbiSelector Upgrade = Abi.Selector("upgrade(address,bytes,bytes32)");

    /// <summary><c>CodeUpgraded(address indexed target, bytes32 indexed codeHash, bytes32 change)</c>.</summary>
    public static readonly Hash256 CodeUpgraded = Abi.EventTopic("CodeUpgraded(address,bytes32,bytes32)");

    /// <summary>
    /// Gas of a call: a base and a price per byte of code. Only the governance account reaches it, so the price bounds the work
    /// (hashing and writing the code), it does not deter anyone: 8 per byte, not a CREATE's 200, so that 24 KB fit the governance's
    /// default 5% of a 30M block (<see cref="TransactionGas"/> = 58,608 + 24 per byte).
    /// </summary>
    public const long BaseGas = 25_000, GasPerByte = 8;

    /// <summary>EIP-170's largest runtime code.</summary>
    public const int MaxCodeSize = 24_576;

    /// <summary>The gas limit of the system transaction that applies <paramref name="codeLength"/> bytes (intrinsic, calldata, the call).</summary>
    public static ulong TransactionGas(int codeLength) => 21_000 + 16UL * (ulong)(4 + 32 * 4 + codeLength + 31) + (ulong)BaseGas + (ulong)GasPerByte * (ulong)codeLength + 10_000;

    public override bool IsPrecompile => false;

    public override bool WarmAtTransactionStart => false;

    public override PrecompileResult Run(in NativeCall call)
    {
        static PrecompileResult Refuse(long gas, string reason) => PrecompileResult.Reverted(gas, Abi.EncodeError("GovernanceUpgrader: " + reason));
        var gas = Math.Min(BaseGas, call.Gas);
        if (call.IsStatic) return Refuse(gas, "a state-changing call in a static context");
        if (!Upgrade.Matches(call.Input)) return Refuse(gas, "unknown function; only upgrade(address,bytes,bytes32)");
        if (call.Caller != GovernanceContracts.Account.Address)
            return Refuse(gas, $"only the governance account {GovernanceContracts.Account.Address} applies approved upgrades, not {call.Caller}");
        Address target;
        byte[] code;
        Hash256 change;
        try
        {
            var input = call.Input.AsSpan(4);
            target = Address.FromUInt256(UInt256.FromBigEndian(input[..32]));
            var offset = checked((int)(ulong)UInt256.FromBigEndian(input.Slice(32, 32)));
            change = new Hash256(input.Slice(64, 32));
            var length = checked((int)(ulong)UInt256.FromBigEndian(input.Slice(offset, 32)));
            code = input.Slice(offset + 32, length).ToArray();
        }
        catch (Exception e) when (e is ArgumentException or OverflowException or IndexOutOfRangeException)
        {
            return Refuse(gas, "malformed call: " + e.Message);
        }
        var used = BaseGas + GasPerByte * code.Length;
        if (used > call.Gas) return PrecompileResult.Failure(call.Gas);
        if (code.Length == 0) return Refuse(gas, "empty code");
        if (code.Length > MaxCodeSize) return Refuse(gas, $"{code.Length} bytes of code, more than EIP-170's {MaxCodeSize}");
        if (target == Address) return Refuse(gas, "the upgrader cannot replace itself");
        var current = call.State.GetCode(target);
        if (current.Length == 0) return Refuse(gas, $"{target} has no code on this chain (not a predeploy here)");
        if (current.AsSpan().SequenceEqual(code)) return new PrecompileResult(true, used, []);
        var codeHash = Keccak256.Compute(code);
        call.State.SetCode(target, code);
        var log = new LogEntry(Address, [CodeUpgraded, Hash256.FromUInt256(target.ToUInt256()), codeHash], change.ToArray());
        return new PrecompileResult(true, used, []) { Logs = [log] };
    }
}
