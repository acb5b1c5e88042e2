using System.Reflection;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Settlement;

/// <summary>Where a batch stands on the parent chain (the contract's <c>Status</c>).</summary>
public enum BatchStatus : byte
{
    None = 0,
    Pending = 1,
    Challenged = 2,
    Finalized = 3,
    Rejected = 4,
}

/// <summary>A batch as the contract stores it.</summary>
public sealed record BatchRecord(ulong Index, ulong FirstSlot, ulong LastSlot, ulong AssertedAt, uint BlockCount, BatchStatus Status, Address Asserter,
    Hash256 BlocksRoot, Hash256 MessageRoot, Hash256 DataHash);

/// <summary>An assertion as read back from the parent: the event and the transaction's calldata.</summary>
public sealed record AssertedBatch(ulong Index, ulong FirstSlot, ulong LastSlot, IReadOnlyList<Hash256> Leaves, Hash256 MessageRoot, byte[] Data,
    Hash256 Transaction, ulong ParentBlock);

/// <summary>A challenge as the event reports it.</summary>
/// <summary>A batch's dispute as the contract holds it (a zero challenger: never challenged).</summary>
public sealed record DisputeRecord(ulong Index, Address Challenger, ulong OpenedAt, uint LeafIndex, uint VotesValid, uint VotesInvalid, ulong Round);

public sealed record ChallengeRecord(ulong Index, Address Challenger, uint LeafIndex, ulong Slot, ulong ChainId, ulong Number, ulong ParentBlock);

/// <summary>The deployment parameters of <c>ThalamusSettlement</c>.</summary>
public sealed record SettlementTerms
{
    public UInt256 AssertionBond { get; init; } = UInt256.Parse("1000000000000000000");
    public UInt256 ChallengeBond { get; init; } = UInt256.Parse("100000000000000000");
    public UInt256 ArbiterBond { get; init; } = UInt256.Parse("1000000000000000000");
    /// <summary>Seconds of parent time; short on a devnet.</summary>
    public ulong ChallengeWindowSeconds { get; init; } = 30;
    public ulong ArbitrationTimeoutSeconds { get; init; } = 60;
    public uint Quorum { get; init; } = 1;
}

/// <summary>The C# side of <c>contracts/src/settlement/ThalamusSettlement.sol</c>: calls, views and events, through an <see cref="IParentChain"/>.</summary>
public sealed class SettlementContract(IParentChain parent, Address address)
{
    public static readonly Hash256 BatchAssertedTopic = Abi.EventTopic("BatchAsserted(uint256,uint64,uint64,uint32,bytes32,bytes32,bytes32)");
    public static readonly Hash256 BatchChallengedTopic = Abi.EventTopic("BatchChallenged(uint256,address,uint32,uint64,uint64,uint64)");
    public static readonly Hash256 DisputeResolvedTopic = Abi.EventTopic("DisputeResolved(uint256,bool,address,uint256)");

    private static readonly AbiSelector AssertBatchSelector = Abi.Selector("assertBatch(uint64,uint64,bytes32[],bytes32,bytes)");
    private static readonly AbiSelector ChallengeSelector = Abi.Selector("challenge(uint256,uint32,uint64,uint64,uint64,bytes32,bytes32,bytes32[])");
    private static readonly AbiSelector RuleSelector = Abi.Selector("rule(uint256,bool)");
    private static readonly AbiSelector FinalizeSelector = Abi.Selector("finalize(uint256)");
    private static readonly AbiSelector TimeoutSelector = Abi.Selector("timeoutDispute(uint256)");
    private static readonly AbiSelector RegisterArbiterSelector = Abi.Selector("registerArbiter()");
    private static readonly AbiSelector NextSlotSelector = Abi.Selector("nextSlot()");
    private static readonly AbiSelector BatchCountSelector = Abi.Selector("batchCount()");
    private static readonly AbiSelector FinalizedCountSelector = Abi.Selector("finalizedCount()");
    private static readonly AbiSelector BatchesSelector = Abi.Selector("batches(uint256)");
    private static readonly AbiSelector GenesisSelector = Abi.Selector("genesisCommitment()");
    private static readonly AbiSelector IsArbiterSelector = Abi.Selector("isArbiter(address)");
    private static readonly AbiSelector WindowSelector = Abi.Selector("challengeWindow()");
    private static readonly AbiSelector AssertionBondSelector = Abi.Selector("assertionBond()");
    private static readonly AbiSelector ChallengeBondSelector = Abi.Selector("challengeBond()");
    private static readonly AbiSelector ArbiterBondSelector = Abi.Selector("arbiterBond()");
    private static readonly AbiSelector DisputesSelector = Abi.Selector("disputes(uint256)");
    private static readonly AbiSelector QuorumSelector = Abi.Selector("quorum()");

    private static readonly Lazy<byte[]> CreationCode = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ThalamusSettlement.json")
            ?? throw new InvalidOperationException("the embedded artifact ThalamusSettlement.json is missing from the build");
        using var json = JsonDocument.Parse(stream);
        return Hex.Decode(json.RootElement.GetProperty("bytecode").GetString() ?? throw new InvalidOperationException("ThalamusSettlement.json has no bytecode"));
    });

    public IParentChain Parent { get; } = parent ?? throw new ArgumentNullException(nameof(parent));

    public Address Address { get; } = address;

    /// <summary>Deploys the contract on <paramref name="parent"/> from <paramref name="deployer"/> with <paramref name="poster"/> as the only asserter.</summary>
    public static SettlementContract Deploy(IParentChain parent, ParentAccount deployer, Address poster, SettlementTerms terms, Hash256 genesisCommitment)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(deployer);
        ArgumentNullException.ThrowIfNull(terms);
        var arguments = Abi.Encode(poster, terms.AssertionBond, terms.ChallengeBond, terms.ArbiterBond, terms.ChallengeWindowSeconds,
            terms.ArbitrationTimeoutSeconds, (ulong)terms.Quorum, genesisCommitment);
        var receipt = parent.Send(deployer, null, [.. CreationCode.Value, .. arguments]);
        if (!receipt.Success || receipt.ContractAddress is not { } created)
            throw new ParentChainException($"deploying ThalamusSettlement failed (transaction {receipt.TransactionHash})");
        return new SettlementContract(parent, created);
    }

    public ulong NextSlot() => (ulong)Word(NextSlotSelector);

    public ulong BatchCount() => (ulong)Word(BatchCountSelector);

    public ulong FinalizedCount() => (ulong)Word(FinalizedCountSelector);

    public Hash256 GenesisCommitment() => Hash256.FromUInt256(Word(GenesisSelector));

    public ulong ChallengeWindow() => (ulong)Word(WindowSelector);

    public UInt256 AssertionBond() => Word(AssertionBondSelector);

    public UInt256 ChallengeBond() => Word(ChallengeBondSelector);

    public UInt256 ArbiterBond() => Word(ArbiterBondSelector);

    public bool IsArbiter(Address account) => !new AbiReader(Parent.Call(Address, Abi.EncodeCall(IsArbiterSelector, account))).Word(0).IsZero;

    public BatchRecord Batch(ulong index)
    {
        var r = new AbiReader(Parent.Call(Address, Abi.EncodeCall(BatchesSelector, index)));
        return new BatchRecord(index, r.UInt64(0), r.UInt64(1), r.UInt64(2), (uint)r.UInt64(3), (BatchStatus)r.UInt64(4), r.Address(5), r.Bytes32(6),
            r.Bytes32(7), r.Bytes32(8));
    }

    public DisputeRecord Dispute(ulong index)
    {
        var r = new AbiReader(Parent.Call(Address, Abi.EncodeCall(DisputesSelector, index)));
        return new DisputeRecord(index, r.Address(0), r.UInt64(1), (uint)r.UInt64(2), (uint)r.UInt64(3), (uint)r.UInt64(4), r.UInt64(5));
    }

    /// <summary>The votes that decide a dispute.</summary>
    public uint Quorum() => (uint)(ulong)Word(QuorumSelector);

    /// <summary>True when batch <paramref name="index"/> was rejected by the arbiters' verdict (not merely voided as built on a rejected one).</summary>
    public bool RejectedByArbiters(BatchRecord batch, out DisputeRecord dispute)
    {
        ArgumentNullException.ThrowIfNull(batch);
        dispute = Dispute(batch.Index);
        return batch.Status == BatchStatus.Rejected && !dispute.Challenger.IsZero && dispute.VotesInvalid >= Quorum();
    }

    public static byte[] EncodeAssertBatch(ulong firstSlot, ulong lastSlot, IReadOnlyList<Hash256> leaves, Hash256 messageRoot, byte[] data) =>
        Abi.EncodeCall(AssertBatchSelector, firstSlot, lastSlot, AbiValue.Array([.. leaves.Select(l => (AbiValue)l)]), messageRoot, AbiValue.Bytes(data));

    public ParentReceipt AssertBatch(ParentAccount poster, ulong firstSlot, ulong lastSlot, IReadOnlyList<Hash256> leaves, Hash256 messageRoot, byte[] data,
        UInt256 bond) =>
        Parent.Send(poster, Address, EncodeAssertBatch(firstSlot, lastSlot, leaves, messageRoot, data), bond);

    public ParentReceipt Challenge(ParentAccount challenger, ulong index, BlockLeaf leaf, uint leafIndex, IReadOnlyList<Hash256> proof, UInt256 bond) =>
        Parent.Send(challenger, Address, Abi.EncodeCall(ChallengeSelector, index, (ulong)leafIndex, leaf.Slot, leaf.ChainId, leaf.Number, leaf.BlockHash,
            leaf.StateRoot, AbiValue.Array([.. proof.Select(p => (AbiValue)p)])), bond);

    public ParentReceipt Rule(ParentAccount arbiter, ulong index, bool assertionValid) =>
        Parent.Send(arbiter, Address, Abi.EncodeCall(RuleSelector, index, assertionValid));

    public ParentReceipt Finalize(ParentAccount caller, ulong index) => Parent.Send(caller, Address, Abi.EncodeCall(FinalizeSelector, index));

    public ParentReceipt TimeoutDispute(ParentAccount caller, ulong index) => Parent.Send(caller, Address, Abi.EncodeCall(TimeoutSelector, index));

    public ParentReceipt RegisterArbiter(ParentAccount arbiter, UInt256 bond) => Parent.Send(arbiter, Address, Abi.EncodeCall(RegisterArbiterSelector), bond);

    /// <summary>Every assertion from parent block <paramref name="fromBlock"/> to <paramref name="toBlock"/>, with its calldata.</summary>
    /// <exception cref="SettlementDataException">an assertion's calldata is not an assertBatch call.</exception>
    public IReadOnlyList<AssertedBatch> AssertedBatches(ulong fromBlock, ulong toBlock)
    {
        var result = new List<AssertedBatch>();
        foreach (var log in Parent.GetLogs(Address, BatchAssertedTopic, fromBlock, toBlock))
        {
            var index = (ulong)log.Topics[1].ToUInt256();
            result.Add(DecodeAssertion(index, Parent.TransactionInput(log.TransactionHash), log.TransactionHash, log.BlockNumber));
        }
        return result;
    }

    public IReadOnlyList<ChallengeRecord> Challenges(ulong fromBlock, ulong toBlock) =>
        [.. Parent.GetLogs(Address, BatchChallengedTopic, fromBlock, toBlock).Select(log =>
        {
            var r = new AbiReader(log.Data);
            return new ChallengeRecord((ulong)log.Topics[1].ToUInt256(), Address.FromUInt256(log.Topics[2].ToUInt256()), (uint)r.UInt64(0), r.UInt64(1),
                r.UInt64(2), r.UInt64(3), log.BlockNumber);
        })];

    /// <summary>The arguments of an assertBatch call (the calldata the poster sent).</summary>
    /// <exception cref="SettlementDataException">it is not one.</exception>
    public static AssertedBatch DecodeAssertion(ulong index, byte[] input, Hash256 transaction, ulong parentBlock)
    {
        try
        {
            if (!AbiReader.TryCall(input, AssertBatchSelector, out var args))
                throw new SettlementDataException($"transaction {transaction} of batch {index} is not an assertBatch call");
            var items = args.Array(2, out var count);
            var leaves = new Hash256[count];
            for (var i = 0; i < count; i++) leaves[i] = items.Bytes32(i);
            return new AssertedBatch(index, args.UInt64(0), args.UInt64(1), leaves, args.Bytes32(3), args.Bytes(4), transaction, parentBlock);
        }
        catch (AbiException e)
        {
            throw new SettlementDataException($"the calldata of batch {index} (transaction {transaction}) does not decode: {e.Message}", e);
        }
    }

    private UInt256 Word(AbiSelector selector) => new AbiReader(Parent.Call(Address, Abi.EncodeCall(selector))).Word(0);
}

/// <summary>Batch data or calldata the verifier cannot decode (it says what and where, and keeps its place).</summary>
public sealed class SettlementDataException(string message, Exception? inner = null) : Exception(message, inner);
