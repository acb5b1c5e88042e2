using Thalamus.Chain;
using Thalamus.Evm;

namespace Thalamus.Cluster;

/// <summary>A member chain with what the cluster tracks for it. Used under the cluster's lock.</summary>
internal sealed class ClusterMember(MemberChain chain, ClusterChainOptions options)
{
    public MemberChain Chain { get; } = chain;
    public ClusterChainOptions Options { get; } = options;
    public ulong ChainId => Chain.ChainId;

    /// <summary>Handles the calls this chain's code makes to the CrossChainCall address.</summary>
    public ICrossChainCallHandler CrossCalls { get; set; } = null!;

    /// <summary>Runs the synchronous calls this chain receives (never busy twice: re-entry is refused).</summary>
    public VirtualMachine Machine { get; } = new();

    /// <summary>Synchronous calls received since the last block, applied to the live state, recorded in the next block.</summary>
    public List<InboundCall> Inbound { get; } = [];

    /// <summary>Results of the synchronous calls this chain made since the last block.</summary>
    public List<OutboundCall> Outbound { get; } = [];

    /// <summary>How many <see cref="Outbound"/> results there were when the running transaction of this chain's block started.</summary>
    public int TransactionOutboundMark { get; set; }

    /// <summary>The timestamp the next block must have because calls already ran in its context.</summary>
    public ulong? PinnedTimestamp { get; set; }

    /// <summary>True while the live state is inside the transaction scope of an origin transaction's calls.</summary>
    public bool ScopeOpen { get; set; }

    /// <summary>Counts origin transactions whose calls reached this chain (see <see cref="InboundCall.Group"/>).</summary>
    public int Group { get; set; }

    /// <summary>The messages whose deliveries are in the block being built.</summary>
    public List<ClusterMessage> InFlight { get; } = [];

    /// <summary>Admits the transactions of this chain's blocks by the messages they send.</summary>
    public Evm.ITransactionAdmission Admission { get; set; } = null!;

    /// <summary>True while the chain's next block is being built (its deliveries are fixed).</summary>
    public bool Building { get; set; }

    /// <summary>Messages the transactions of the block being built were admitted for (forgotten if the block fails).</summary>
    public List<Core.Hash256> Admitted { get; } = [];

    /// <summary>A transaction's send was deferred at this <see cref="DeliveryBudget.Epoch"/>; automine retries once it moves.</summary>
    public long? DeferredAtEpoch { get; set; }

    /// <summary>Logical time (ms) at which the next interval block is due; unused for automine.</summary>
    public long NextDueMs { get; set; }

    public bool Halted { get; set; }
    public long HaltedAtMs { get; set; }
    /// <summary>The Delta in force when it halted: the others hold from <see cref="HaltedAtMs"/> plus it.</summary>
    public long HaltDeltaMs { get; set; }

    public Uri? HttpUrl { get; set; }
    public Uri? WebSocketUrl { get; set; }

    public bool IsAutomine => Options.BlockTime == TimeSpan.Zero;

    /// <summary>Received calls are waiting for a block.</summary>
    public bool HasUnsealedEffects => Inbound.Count > 0 || Outbound.Count > 0;

    public void ClearSection()
    {
        Inbound.Clear();
        Outbound.Clear();
        PinnedTimestamp = null;
    }
}
