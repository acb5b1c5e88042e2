using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.Evm.Precompiles;
using Thalamus.State;

namespace Thalamus.Chain;

public sealed partial class MemberChain
{
    /// <summary>
    /// eth_createAccessList gives up growing the list after this many runs (geth loops until the
    /// list is stable; a contract whose accesses depend on the gas left could make that endless).
    /// </summary>
    private const int MaxAccessListRounds = 16;

    /// <summary>
    /// eth_getProof (EIP-1186): the account and storage proofs of <paramref name="address"/> in the
    /// state of <paramref name="block"/>. At the head, pending dev edits (anvil_setBalance, ...)
    /// are included, so the proof agrees with eth_getBalance and friends; its root is then the root
    /// the next block will start from rather than the head header's.
    /// </summary>
    /// <exception cref="ChainException">unknown block.</exception>
    public AccountProof GetProof(Address address, IReadOnlyList<UInt256> slots, BlockSelector block)
    {
        ArgumentNullException.ThrowIfNull(slots);
        var header = ResolveHeader(block) ?? throw HeaderNotFound(block);
        DevStateEdit[] edits;
        lock (_lock) edits = header.Hash == _head.Hash ? _pendingEdits : [];
        if (edits.Length == 0) return AccountProof.Build(Store.StateNodes, header.StateRoot, address, slots);

        // The edited nodes go to a private overlay: nothing reaches the store.
        var overlay = new RecordingKeyValueStore(Store.StateNodes);
        var state = NewState(overlay, header.StateRoot);
        foreach (var edit in edits) Apply(state, edit);
        return AccountProof.Build(overlay, state.Commit(), address, slots);
    }

    /// <summary>
    /// eth_createAccessList, as geth computes it: runs the request like eth_call, collects every
    /// address and storage slot the EVM accessed (in reverted frames too), and repeats with the
    /// collected list until it stops growing (the list changes gas costs, which may change the
    /// path taken). The sender, the recipient (or the created contract), the precompiles and the
    /// contracts created during the call are listed only for their slots; so is the coinbase,
    /// which EIP-3651 already warms (geth would list it when touched, paying 2,400 gas for nothing).
    /// The request's own access list is kept. Entries are sorted by address, slots by value.
    /// </summary>
    /// <exception cref="ChainException">unknown block, or the call is invalid (e.g. insufficient funds).</exception>
    public AccessListResult CreateAccessList(CallRequest request, BlockSelector block)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = ResolveHeader(block) ?? throw HeaderNotFound(block);
        var gas = CallGas(request, header, out var capped);
        var from = request.From ?? Address.Zero;

        var list = new SortedDictionary<Address, SortedSet<UInt256>>(AddressOrder.Instance);
        foreach (var entry in request.AccessList ?? [])
        {
            var slots = GetOrAddSlots(list, entry.Address);
            foreach (var key in entry.StorageKeys) slots.Add(key);
        }

        for (var round = 1; ; round++)
        {
            var accessList = ToAccessList(list);
            var state = OpenState(header);
            var target = request.To ?? ContractAddress.From(from, state.GetNonce(from));
            var recorder = new AccessRecordingState(state);
            var result = ExecuteCallOn(recorder, WithAccessList(request, accessList), header, gas);
            if (!result.IsValid) throw new ChainException($"failed to apply transaction: {result.Error ?? "invalid call"}");

            var grew = false;
            foreach (var (address, slot) in recorder.Slots) grew |= GetOrAddSlots(list, address).Add(slot);
            foreach (var address in recorder.Addresses)
            {
                if (address == from || address == target || address == header.Coinbase || recorder.Created.Contains(address)
                    || _builder.NativeContracts.Find(address) is { WarmAtTransactionStart: true } || list.ContainsKey(address))
                    continue;
                list.Add(address, []);
                grew = true;
            }
            if (!grew || round == MaxAccessListRounds)
            {
                var reverted = result.Status == ExecutionStatus.Revert;
                return new AccessListResult
                {
                    AccessList = grew ? ToAccessList(list) : accessList,
                    GasUsed = (ulong)result.GasUsed,
                    Error = result.Success ? null : reverted ? "execution reverted" : CallFailure(result, capped, gas),
                };
            }
        }
    }


    private static SortedSet<UInt256> GetOrAddSlots(SortedDictionary<Address, SortedSet<UInt256>> list, Address address)
    {
        if (!list.TryGetValue(address, out var slots))
        {
            slots = [];
            list.Add(address, slots);
        }
        return slots;
    }

    private static AccessListEntry[] ToAccessList(SortedDictionary<Address, SortedSet<UInt256>> list)
    {
        var entries = new AccessListEntry[list.Count];
        var i = 0;
        foreach (var (address, slots) in list) entries[i++] = new AccessListEntry(address, [.. slots]);
        return entries;
    }

    private static CallRequest WithAccessList(CallRequest request, IReadOnlyList<AccessListEntry> accessList) => new()
    {
        From = request.From,
        To = request.To,
        Gas = request.Gas,
        GasPrice = request.GasPrice,
        MaxFeePerGas = request.MaxFeePerGas,
        MaxPriorityFeePerGas = request.MaxPriorityFeePerGas,
        Value = request.Value,
        Data = request.Data,
        AccessList = accessList,
        Nonce = request.Nonce,
        MaxFeePerBlobGas = request.MaxFeePerBlobGas,
        BlobVersionedHashes = request.BlobVersionedHashes,
    };

    /// <summary>Byte order of addresses, for a deterministic access list.</summary>
    private sealed class AddressOrder : IComparer<Address>
    {
        public static readonly AddressOrder Instance = new();

        public int Compare(Address x, Address y) => x.Bytes.SequenceCompareTo(y.Bytes);
    }
}
