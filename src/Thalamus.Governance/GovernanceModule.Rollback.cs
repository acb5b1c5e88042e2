using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Modules;

namespace Thalamus.Governance;

// Rollback (docs/governance.md, "Rollback"). The decisions are home-chain events, so a rollback that discards home-chain blocks
// rebuilds the index from the home chain as it now is (Rebuild, the code a start runs) and undoes what a discarded decision did
// outside it: the cluster's Delta and the chains' gas limits go back to what the kept decisions (or the configuration) say, a
// chain a discarded decision admitted is removed, and an upgrade a discarded decision approved taints the blocks of every chain
// that applied it (FirstTaintedBlock), so their code goes back with them. The node's own Pythia reports in discarded blocks are
// proposed again. What the users' transactions decide when they run again is read and carried again, once, like any decision.
public sealed partial class GovernanceModule
{
    /// <summary>Each Pythia's last report put in a home-chain block, and the block's number: sent again when a rollback discards that block.</summary>
    private readonly Dictionary<Address, (ulong Block, uint Uptime, ushort Reliability)> _sentReports = [];

    public (ulong Number, string Why)? FirstTaintedBlock(MemberChain chain, ulong taintedChainId, ulong taintedFrom)
    {
        if (!Options.Enabled || taintedChainId != Options.HomeChainId) return null;
        Dictionary<Hash256, int> discarded;
        lock (_indexLock)
            discarded = _decisions.Where(d => d.Kind == DecisionKind.Upgrade && d.Block >= taintedFrom).GroupBy(d => d.Change).ToDictionary(g => g.Key, g => g.First().Index);
        if (discarded.Count == 0) return null;
        // The first block whose governance transaction applied one of those upgrades.
        for (var number = chain.FirstBlockNumber + 1; number <= chain.Head.Number; number++)
        {
            if (chain.Store.GetBlock(number) is not { } block) continue;
            var receipts = chain.Store.GetReceipts(block.Hash);
            for (var i = 0; i < block.Transactions.Count && i < receipts.Count; i++)
            {
                var tx = block.Transactions[i];
                if (tx.To != GovernanceContracts.Upgrader || !receipts[i].Success || !AbiReader.TryCall(tx.Data, GovernanceUpgrader.Upgrade, out var args)) continue;
                if (discarded.TryGetValue(args.Bytes32(2), out var index) && tx.ResolveSender() == GovernanceContracts.Account.Address)
                    return (number, $"applied upgrade decision {index} executed by chain {taintedChainId} at or after its block {taintedFrom}");
            }
        }
        return null;
    }

    public void RolledBack(ClusterRollback rollback)
    {
        if (_host is not { } host || Home(host) is null || rollback.FirstDiscarded(Options.HomeChainId) is not { } first) return;
        List<GovernanceDecision> before;
        Dictionary<Hash256, UInt256> parametersBefore;
        lock (_indexLock)
        {
            before = [.. _decisions];
            parametersBefore = new(_parameters);
        }
        Rebuild(afterRollback: true);

        // Delta: the kept decisions were asked again by Rebuild; with none left, the configured bound.
        static bool IsDelta(GovernanceDecision d) => d.Kind == DecisionKind.Parameter && d.Key == GovernanceParameters.Delta;
        if (before.Any(IsDelta) && !Decisions.Any(IsDelta))
        {
            try
            {
                host.RequestDeltaChange(new DeltaChange { Delta = host.ConfiguredDelta });
            }
            catch (NotSupportedException)
            {
                // A host without Delta changes never took one either.
            }
        }
        lock (_indexLock)
        {
            // Gas limits: a chain no kept decision sets goes back to its configured limit (Rebuild applied the kept ones).
            foreach (var chain in host.Chains)
            {
                var key = GovernanceParameters.GasLimitOf(chain.ChainId);
                var had = parametersBefore.ContainsKey(key) || parametersBefore.ContainsKey(GovernanceParameters.GasLimit);
                var has = _parameters.ContainsKey(key) || _parameters.ContainsKey(GovernanceParameters.GasLimit);
                if (had && !has && chain.BlockGasLimit != chain.Profile.BlockGasLimit) chain.SetBlockGasLimit(chain.Profile.BlockGasLimit);
            }
            // The node's reports in discarded blocks, once more (a report overwrites: the last one of each Pythia is what counts).
            var queued = _reports.Select(r => r.Operator).ToHashSet();
            foreach (var (pythia, sent) in _sentReports.Where(r => r.Value.Block >= first).OrderBy(r => r.Value.Block).ToList())
            {
                _sentReports.Remove(pythia);
                if (queued.Add(pythia)) _reports.Enqueue((pythia, sent.Uptime, sent.Reliability));
            }
        }
    }
}
