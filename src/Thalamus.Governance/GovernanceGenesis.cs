using System.Collections.Concurrent;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Governance;

/// <summary>
/// The governance contracts in genesis. OpenZeppelin's Governor, TimelockController and ERC20Votes have
/// constructors and immutables (the votes token, EIP-712's cached domain), which a runtime-code predeploy
/// cannot have; so their constructors run once on a scratch chain with the home chain's id, from the
/// governance account at nonces 0-9 and at the genesis timestamp, and the resulting accounts (code with
/// its immutables, storage) go into the real genesis at the same addresses. Deterministic: the same
/// options give the same genesis (a verifier rebuilding the chain gets it from <c>GenesisOf</c> anyway).
/// </summary>
internal static class GovernanceGenesis
{
    /// <summary>1,000,000,000 Hermes (18 decimals) shared by the genesis holders on the home chain.</summary>
    public static readonly UInt256 HermesInitialSupply = UInt256.FromBigInteger(System.Numerics.BigInteger.Pow(10, 27));

    private static readonly ConcurrentDictionary<string, IReadOnlyList<KeyValuePair<Address, GenesisAccount>>> Cache = new();

    public static IReadOnlyList<KeyValuePair<Address, GenesisAccount>> Allocations(GovernanceOptions options, ulong chainId, ulong genesisTimestamp)
    {
        var home = options.Enabled && chainId == options.HomeChainId;
        var key = home
            ? $"{chainId}|{genesisTimestamp}|{string.Join(',', options.GenesisHolders)}|{string.Join(',', options.GerousiaMembers)}|{string.Join(',', options.InitialChains)}|{options.VotingDelaySeconds}|{options.VotingPeriodSeconds}|{options.TimelockDelaySeconds}|{options.SessionSeconds}|{options.SessionProposalSeconds}"
            : $"{chainId}|{genesisTimestamp}|member";
        return Cache.GetOrAdd(key, _ => Build(options, chainId, home, genesisTimestamp));
    }

    private static KeyValuePair<Address, GenesisAccount>[] Build(GovernanceOptions options, ulong chainId, bool home, ulong genesisTimestamp)
    {
        var account = GovernanceContracts.Account;
        var chain = new MemberChain(
            new ChainProfile { ChainId = chainId, BlockGasLimit = 60_000_000, AllowEqualTimestamps = true, MaxTransactionSize = 1024 * 1024 },
            new GenesisConfig
            {
                ChainId = chainId, Timestamp = genesisTimestamp, GasLimit = 60_000_000,
                Alloc = new Dictionary<Address, GenesisAccount> { [account.Address] = account.Funded().Value },
            },
            clock: new FixedClock(genesisTimestamp));
        ulong nonce = 0;
        void Deploy(string contract, byte[] arguments)
        {
            byte[] code = [.. GovernanceContracts.CreationCode(contract), .. arguments];
            var tx = account.Sign(chainId, nonce++, null, code, 50_000_000, new UInt256(100_000_000_000));
            var hash = chain.SendTransaction(tx.Transaction);
            var receipt = chain.GetReceipt(hash) ?? throw new InvalidOperationException($"governance genesis: {contract} was not mined");
            if (!receipt.Success) throw new InvalidOperationException($"governance genesis: the constructor of {contract} reverted");
        }
        var holders = AbiValue.Array([.. options.GenesisHolders.Select(h => (AbiValue)h)]);
        if (home)
        {
            options.CheckSessions();
            var gerousia = AbiValue.Tuple([.. options.GerousiaMembers.Select(m => (AbiValue)m)]);
            Deploy("Athena", Abi.Encode(holders));
            Deploy("AthenaStaking", Abi.Encode(GovernanceContracts.Athena, GovernanceContracts.Hermes, account.Address));
            Deploy("AgoraTimelock", Abi.Encode((ulong)options.TimelockDelaySeconds,
                AbiValue.Array(GovernanceContracts.Governor), AbiValue.Array(Address.Zero)));
            Deploy("AgoraGovernor", Abi.Encode(GovernanceContracts.Staking, GovernanceContracts.Timelock,
                (ulong)options.VotingDelaySeconds, (ulong)options.VotingPeriodSeconds, genesisTimestamp,
                (ulong)options.SessionSeconds, (ulong)options.SessionProposalSeconds));
            Deploy("Gerousia", Abi.Encode(GovernanceContracts.Timelock, gerousia));
            Deploy("Elections", Abi.Encode(GovernanceContracts.Staking, GovernanceContracts.Decisions));
            Deploy("ClusterDecisions", Abi.Encode(GovernanceContracts.Timelock, GovernanceContracts.Gerousia, GovernanceContracts.Elections,
                AbiValue.Array([.. options.InitialChains.Select(c => (AbiValue)c)])));
            Deploy("GrantFund", Abi.Encode(GovernanceContracts.Timelock, GovernanceContracts.Hermes));
            Deploy("Olympus", Abi.Encode(GovernanceContracts.Hermes, GovernanceContracts.Staking, GovernanceContracts.GrantFund, GovernanceContracts.Timelock));
            Deploy("Hermes", Abi.Encode(GovernanceContracts.Staking, holders, HermesInitialSupply));
        }
        else
        {
            // Off the home chain Hermes exists (DDPN pays in it) with no supply and no minter; Hermes arrives there
            // only through the cluster token bridge (ERC-7802 crosschainMint), burned on the chain it left.
            Deploy("Hermes", Abi.Encode(Address.Zero, AbiValue.Array(), UInt256.Zero));
        }
        // Hermes is the last contract built; it moves to its predeploy address.
        var hermesBuilt = Evm.ContractAddress.From(account.Address, nonce - 1);
        var result = new List<KeyValuePair<Address, GenesisAccount>>();
        foreach (var dumped in chain.DumpState().Accounts)
        {
            if (dumped.Address == account.Address) continue;
            var address = dumped.Address == hermesBuilt ? GovernanceContracts.Hermes : dumped.Address;
            result.Add(new(address, new GenesisAccount
            {
                Nonce = dumped.Nonce,
                Balance = dumped.Balance,
                Code = dumped.Code,
                Storage = dumped.Storage.Where(s => !s.Value.IsZero).ToDictionary(s => s.Key, s => s.Value),
            }));
        }
        // The account continues after its genesis deployments (its later CREATEs never land on them).
        result.Add(new(account.Address, new GenesisAccount { Balance = Modules.SystemAccount.GenesisBalance, Nonce = GovernanceContracts.NonceAfterGenesis }));
        return [.. result];
    }

    private sealed class FixedClock(ulong seconds) : IClock
    {
        public DateTimeOffset UtcNow => DateTimeOffset.FromUnixTimeSeconds((long)seconds);
    }
}
