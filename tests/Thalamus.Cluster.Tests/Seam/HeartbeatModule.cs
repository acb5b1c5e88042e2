using System.Buffers.Binary;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Evm;
using Thalamus.Evm.Precompiles;
using Thalamus.Modules;
using Thalamus.Rpc;

namespace Thalamus.Cluster.Tests.Seam;

/// <summary>
/// A protocol written only against the module seam (Thalamus.Modules and the public chain types, nothing
/// of NodeCluster or the RPC dispatcher): every block of one chain starts with its system transaction, a
/// call to its native contract; it counts every chain's blocks in an index stored with a checkpoint; and
/// it serves heartbeat_blocks and heartbeat_beats.
/// </summary>
internal sealed class HeartbeatModule(ulong chainId, DevAccount key) : ISystemTransactionSource
{
    public const string ModuleName = "heartbeat";

    /// <summary>The native contract: returns abi.encode(chain id, block number, input word) for 100 gas.</summary>
    public static readonly Address ContractAddress = Address.Parse("0x42000000000000000000000000000000000000b1");

    public const ulong BeatGasLimit = 60_000;

    private static readonly byte[] CheckpointKey = "checkpoint"u8.ToArray();

    private readonly Dictionary<ulong, (ulong Blocks, ulong Beats, ulong Head)> _index = [];

    public string Name => ModuleName;

    public Address Sender => key.Address;

    /// <summary>Blocks read from the chains' stores at start (zero when the checkpoint was current).</summary>
    public int BlocksWalkedAtStart { get; private set; }

    public bool ResumedFromCheckpoint { get; private set; }

    /// <summary>The gas budgets the cluster offered, in order.</summary>
    public List<ulong> Budgets { get; } = [];

    public (ulong Blocks, ulong Beats) Counts(ulong chain) => _index.TryGetValue(chain, out var c) ? (c.Blocks, c.Beats) : (0, 0);

    public void Attach(IClusterHost host)
    {
        foreach (var (rowKey, value) in host.ReadState(ModuleName))
        {
            if (rowKey.AsSpan().SequenceEqual(CheckpointKey)) ResumedFromCheckpoint = true;
            else _index[BinaryPrimitives.ReadUInt64BigEndian(rowKey)] = (
                BinaryPrimitives.ReadUInt64BigEndian(value), BinaryPrimitives.ReadUInt64BigEndian(value.AsSpan(8)), BinaryPrimitives.ReadUInt64BigEndian(value.AsSpan(16)));
        }
        // Catch up from the checkpoint (from genesis without one).
        foreach (var chain in host.Chains)
        {
            var head = _index.TryGetValue(chain.ChainId, out var c) ? c.Head : 0;
            for (var number = head + 1; number <= chain.Head.Number; number++)
            {
                BlocksWalkedAtStart++;
                Count(chain.ChainId, chain.Store.GetBlock(number)!);
            }
        }
    }

    public IReadOnlyList<PooledTransaction> ProposeSystemTransactions(SystemTransactionRequest request)
    {
        if (request.Chain.ChainId != chainId) return [];
        Budgets.Add(request.GasBudget);
        if (request.GasBudget < BeatGasLimit) return [];
        var data = new byte[32];
        BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(24), request.Parent.Number + 1);
        var tx = TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = chainId,
            Nonce = request.Chain.LiveState.GetNonce(key.Address),
            MaxPriorityFeePerGas = UInt256.Zero,
            MaxFeePerGas = request.BaseFee,
            GasLimit = BeatGasLimit,
            To = ContractAddress,
            Data = data,
        }, key.PrivateKey);
        return [new PooledTransaction(tx, key.Address, 0)];
    }

    public IEnumerable<NativeContract> NativeContracts(ulong chain) => chain == chainId ? [new Beat()] : [];

    public void BlockSealed(SealedBlock block) => Count(block.Chain.ChainId, block.Built.Block);

    public void SlotCommitted(CommittedSlot slot)
    {
        if (!slot.State.IsPersistent || slot.Blocks.Count == 0) return;
        foreach (var chain in slot.Blocks.Select(b => b.Chain.ChainId).Distinct())
        {
            var (blocks, beats, head) = _index[chain];
            var rowKey = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(rowKey, chain);
            var value = new byte[24];
            BinaryPrimitives.WriteUInt64BigEndian(value, blocks);
            BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(8), beats);
            BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(16), head);
            slot.State.Put(ModuleName, rowKey, value);
        }
        var checkpoint = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(checkpoint, slot.Slot);
        slot.State.Put(ModuleName, CheckpointKey, checkpoint);
    }

    public void RegisterRpcMethods(RpcMethodRegistry registry)
    {
        registry.Add("heartbeat_blocks", (ref ParamReader p, Utf8JsonWriter w) => w.WriteQuantity(Counts(ReadChain(ref p)).Blocks));
        registry.Add("heartbeat_beats", (ref ParamReader p, Utf8JsonWriter w) => w.WriteQuantity(Counts(ReadChain(ref p)).Beats));
    }

    private static ulong ReadChain(ref ParamReader p)
    {
        var chain = p.ReadFlexibleUInt64("chainId");
        p.End();
        return chain;
    }

    private void Count(ulong chain, Block block)
    {
        var (blocks, beats, _) = _index.GetValueOrDefault(chain);
        var beat = block.Transactions.Count > 0 && block.Transactions[0].To == ContractAddress;
        _index[chain] = (blocks + 1, beats + (beat ? 1UL : 0UL), block.Number);
    }

    private sealed class Beat() : NativeContract(ContractAddress)
    {
        public override PrecompileResult Run(in NativeCall call)
        {
            if (call.Gas < 100 || call.Input.Length != 32) return PrecompileResult.Failure(call.Gas);
            var output = new byte[96];
            BinaryPrimitives.WriteUInt64BigEndian(output.AsSpan(24), call.Block.ChainId);
            BinaryPrimitives.WriteUInt64BigEndian(output.AsSpan(56), call.Block.Number);
            call.Input.CopyTo(output.AsSpan(64));
            return new PrecompileResult(true, 100, output);
        }
    }
}
