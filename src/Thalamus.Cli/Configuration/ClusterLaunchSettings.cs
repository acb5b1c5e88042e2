using System.Net;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Crypto;
using Thalamus.Rpc;

namespace Thalamus.Cli.Configuration;

/// <summary>
/// Everything needed to start a cluster, after the command-line flags have overridden the file
/// (or the devnet defaults): the <see cref="ClusterOptions"/>, each chain's port, the host, where the
/// data lives. Built by <see cref="Resolve"/>, which checks every rule before anything starts.
/// </summary>
public sealed class ClusterLaunchSettings
{
    /// <summary>Most chains the command line alone creates (a file may list up to <see cref="ClusterOptions.MaxChains"/>).</summary>
    public const int MaxFlagChains = 64;

    private readonly Dictionary<ulong, int> _ports;

    private ClusterLaunchSettings(ClusterOptions options, Dictionary<ulong, int> ports, IPAddress host, string? databasePath, string mnemonic, string? configPath,
        bool dev, RpcAccessPolicy access, ClusterConfigAdmin? admin)
    {
        Options = options;
        _ports = ports;
        Host = host;
        DatabasePath = databasePath;
        Mnemonic = mnemonic;
        ConfigPath = configPath;
        Dev = dev;
        Access = access;
        Admin = admin;
    }

    public ClusterOptions Options { get; }
    public IPAddress Host { get; }
    /// <summary>The SQLite file every chain lives in; null: in memory.</summary>
    public string? DatabasePath { get; }
    public string Mnemonic { get; }
    /// <summary>The file the settings came from, if any.</summary>
    public string? ConfigPath { get; }

    /// <summary>
    /// True: a dev node (dev namespaces, the dev accounts unlocked, operator methods on every
    /// endpoint). False: production (none of these; operator methods only on <see cref="Admin"/>).
    /// </summary>
    public bool Dev { get; }

    /// <summary>What every chain's public endpoint serves.</summary>
    public RpcAccessPolicy Access { get; }

    /// <summary>The JWT-authenticated admin endpoint; null: none.</summary>
    public ClusterConfigAdmin? Admin { get; }

    /// <summary><c>--dump-state</c>: the cluster dump written at a clean stop (null: none).</summary>
    public string? DumpStatePath { get; init; }

    /// <summary>Joint settlement on a parent chain; null: off.</summary>
    public SettlementLaunch? Settlement { get; private init; }

    /// <summary>The rtc module's external chains and relayers (cluster.yaml <c>rtc:</c>); null: none.</summary>
    public global::Thalamus.Rtc.RtcOptions? Rtc { get; private init; }

    /// <summary>The ddpn module's options (cluster.yaml <c>ddpn:</c>): payment token, the chains' share and payees (default: the first dev account), vote timeout.</summary>
    public global::Thalamus.Ddpn.DdpnOptions Ddpn { get; private init; } = new();

    /// <summary>Who withdraws multicast's publish fees (cluster.yaml <c>multicast.feeOwner</c>; default: the first dev account); null: no one.</summary>
    public Core.Address? MulticastFeeOwner { get; private init; }

    /// <summary>The governance module's genesis settings (cluster.yaml <c>governance:</c>, else the defaults): the Agora's sessions, votes, timelock.</summary>
    public GovernanceSettings Governance { get; private init; } = new();

    /// <summary>The JSON-RPC port of chain <paramref name="chainId"/> (0: any free port).</summary>
    public int PortOf(ulong chainId) => _ports[chainId];

    /// <summary>The configured port of a chain, or null for a chain the configuration does not list (one added at run time).</summary>
    public int? TryPortOf(ulong chainId) => _ports.TryGetValue(chainId, out var port) ? port : null;

    /// <summary>
    /// Applies <paramref name="flags"/> over <paramref name="file"/> (null: devnet defaults) and checks
    /// the result. Throws <see cref="ClusterConfigException"/> with a one-line message.
    /// </summary>
    public static ClusterLaunchSettings Resolve(ClusterConfigFile? file, ClusterOverrides flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        var source = file?.SourcePath;
        file ??= new ClusterConfigFile();

        var entries = ChainEntries(file, flags, source);
        if (flags.Ephemeral && flags.DataDirectory is not null)
            throw new ClusterConfigException("--ephemeral keeps nothing on disk: drop --data-dir");
        string? dataDir =
            flags.Ephemeral ? null :
            flags.DataDirectory is { } flagDir ? (flagDir.Trim().Length == 0 ? throw new ClusterConfigException("--data-dir must not be empty") : Path.GetFullPath(flagDir)) :
            file.Ephemeral ? null :
            file.DataDirectory;

        // Fork mode: the file's fork: entries, then --fork (which may add a member of its own).
        var forkSpecs = new Dictionary<ulong, ForkSpec>();
        foreach (var entry in entries)
            if (entry.Fork is { } spec) forkSpecs[entry.ChainId] = spec;
        foreach (var (id, spec) in flags.Forks)
        {
            forkSpecs[id] = spec;
            if (!entries.Any(e => e.ChainId == id)) entries = [.. entries, new ClusterConfigChain { ChainId = id }];
        }
        if (forkSpecs.Count > 0 && dataDir is not null)
            throw new ClusterConfigException("a forked chain lives in memory only: drop --data-dir (or the file's dataDir) or use --ephemeral");
        var forks = new Dictionary<ulong, ChainFork>();
        foreach (var (id, spec) in forkSpecs)
        {
            try
            {
                forks[id] = RemoteChainClient.Connect(spec.Url, spec.Block, id);
            }
            catch (Thalamus.State.RemoteStateException e)
            {
                throw new ClusterConfigException($"cannot fork chain {id} from {spec.Url}: {e.Message}");
            }
        }
        var basePort = flags.BasePort ?? file.BasePort;
        if (basePort is < 0 or > 65535) throw new ClusterConfigException($"--base-port {basePort} is not a TCP port");
        if (basePort > 0 && basePort + entries.Count - 1 > 65535)
            throw new ClusterConfigException($"{(flags.BasePort is null ? "basePort" : "--base-port")} {basePort} leaves no room for {entries.Count} chains' ports (0 picks free ports)");

        // The file's value was checked when it was read.
        if (flags.RpcGasCap is { } flagCap && ChainProfile.RpcGasCapProblem(flagCap) is { } problem)
            throw new ClusterConfigException($"--rpc-gas-cap {problem}");
        var rpcGasCap = flags.RpcGasCap ?? file.RpcGasCap;
        var loaded = flags.LoadStatePath is { } loadPath ? StateDumpFile.ReadForChains(loadPath, [.. entries.Select(e => e.ChainId)]) : null;
        var chains = new List<ClusterChainOptions>(entries.Count);
        var ports = new Dictionary<ulong, int>();
        var portOwners = new Dictionary<int, ulong>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            // --base-port replaces the file's own ports too: "--base-port 0" must put every chain on a free port.
            var port = ClusterConfigFile.ResolvePort(basePort, flags.BasePort is null ? entry.Port : null, i);
            if (port != 0 && !portOwners.TryAdd(port, entry.ChainId))
                throw new ClusterConfigException($"{Where(source)}chains {portOwners[port]} and {entry.ChainId} would both listen on port {port}");
            ports[entry.ChainId] = port;
            chains.Add(new ClusterChainOptions
            {
                ChainId = entry.ChainId,
                Name = entry.Name,
                BlockTime = flags.BlockTime ?? entry.BlockTime,
                GasLimit = entry.GasLimit,
                MaxTransactionBytes = entry.MaxTransactionBytes,
                RpcGasCap = rpcGasCap,
                LoadedState = loaded?.GetValueOrDefault(entry.ChainId),
                Fork = forks.GetValueOrDefault(entry.ChainId),
            });
        }


        var accountCount = flags.AccountCount ?? file.AccountCount;
        if (accountCount is < 0 or > 1000) throw new ClusterConfigException("--accounts must be between 0 and 1000");
        var mnemonic = flags.Mnemonic ?? file.Mnemonic;
        IReadOnlyList<DevAccount> accounts;
        try
        {
            accounts = DevAccounts.Derive(mnemonic, accountCount);
        }
        catch (MnemonicException e)
        {
            throw new ClusterConfigException($"{(flags.Mnemonic is null ? Where(source) + "accounts.mnemonic" : "--mnemonic")}: {e.Message}");
        }

        var options = new ClusterOptions
        {
            Chains = chains,
            Delta = flags.Delta ?? file.Delta,
            Accounts = accounts,
            AccountBalanceWei = file.AccountBalanceWei,
            GenesisTimestamp = file.GenesisTimestamp ?? (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            DeliveryGasLimit = file.DeliveryGasLimit,
            DeliveryGasBudget = file.DeliveryGasBudget,
            CrossCallGasCap = file.CrossCallGasCap,
            MaxCrossCallDepth = file.MaxCrossCallDepth,
            SystemGasShares = file.SystemGasShares ?? ClusterOptions.DefaultSystemGasShares,
        };
        try
        {
            options.Validate();
        }
        catch (ClusterConfigurationException e)
        {
            throw new ClusterConfigException(Where(source) + e.Message);
        }

        var dev = file.Dev ?? flags.DevByDefault;
        // The reader checked the names; what is left is a dev namespace on a node that is not dev (node --config without dev: true).
        foreach (var name in file.Api ?? [])
            if (RpcNamespaces.WhyNotEnabled(name, dev) is { } why)
                throw new ClusterConfigException($"{Where(source)}api: {why}");
        var access = RpcAccessPolicy.ForPublicEndpoint(file.Api, dev);
        if (file.Admin is { Port: not 0 } admin && portOwners.TryGetValue(admin.Port, out var owner))
            throw new ClusterConfigException($"{Where(source)}admin.port {admin.Port} is already chain {owner}'s JSON-RPC port; give the admin endpoint a port of its own");

        var governance = file.Governance ?? new GovernanceSettings();
        // The reader checked 'enabled: true' against the file's accounts; --accounts may have lowered their number since.
        const int gerousia = global::Thalamus.Governance.GovernanceOptions.GerousiaSize;
        if (governance.Enabled == true && accounts.Count < gerousia)
            throw new ClusterConfigException($"{governance.EnabledAt ?? Where(source)}governance.enabled: true needs at least {gerousia} accounts to seat the Gerousia; there are {accounts.Count}");

        return new ClusterLaunchSettings(
            options, ports, flags.Host ?? file.Host,
            dataDir is null ? null : Path.Combine(dataDir, "chains.db"),
            mnemonic, source, dev, access, file.Admin)
        {
            DumpStatePath = flags.DumpStatePath is { } dump ? Path.GetFullPath(dump) : null,
            Settlement = ResolveSettlement(file.Settlement, flags),
            Rtc = file.Rtc,
            Ddpn = DdpnOptions(file.Ddpn, accounts),
            MulticastFeeOwner = file.MulticastFeeOwner ?? (accounts.Count > 0 ? accounts[0].Address : null),
            Governance = governance,
        };
    }

    /// <summary>The file's <c>ddpn:</c> settings over the defaults; a chain without a payee of its own is paid to the first dev account unless the file names one.</summary>
    private static global::Thalamus.Ddpn.DdpnOptions DdpnOptions(DdpnSettings? file, IReadOnlyList<DevAccount> accounts)
    {
        file ??= new DdpnSettings();
        return new global::Thalamus.Ddpn.DdpnOptions
        {
            PaymentToken = file.PaymentToken,
            ChainSharePpm = file.ChainSharePpm,
            ChainPayees = file.ChainPayees,
            DefaultChainPayee = file.DefaultChainPayee ?? (accounts.Count > 0 ? accounts[0].Address : null),
            VoteTimeoutSlots = file.VoteTimeoutSlots,
        };
    }

    /// <summary>The file's settlement settings (or the defaults, with <c>--settle</c> or a settlement flag) under the flags.</summary>
    private static SettlementLaunch? ResolveSettlement(SettlementLaunch? file, ClusterOverrides flags)
    {
        var any = flags.Settle || flags.ParentRpc is not null || flags.ParentPort is not null || flags.SlotsPerBatch is not null || flags.ChallengeWindow is not null
            || flags.FaultSlot is not null || flags.SettlementContract is not null || flags.FaultKillInRollback;
        if (file is null && !any) return null;
        file ??= new SettlementLaunch();
        if (flags.SlotsPerBatch is < 1 or > 4096) throw new ClusterConfigException("--slots-per-batch must be between 1 and 4096");
        if (flags.ParentPort is < 0 or > 65535) throw new ClusterConfigException($"--parent-port {flags.ParentPort} is not a TCP port");
        return new SettlementLaunch
        {
            ParentRpc = flags.ParentRpc ?? file.ParentRpc,
            ParentChainId = file.ParentChainId,
            ParentPort = flags.ParentPort ?? file.ParentPort,
            ParentBlockTime = file.ParentBlockTime,
            SlotsPerBatch = flags.SlotsPerBatch ?? file.SlotsPerBatch,
            ChallengeWindow = flags.ChallengeWindow ?? file.ChallengeWindow,
            ArbitrationTimeout = file.ArbitrationTimeout,
            FaultSlot = flags.FaultSlot ?? file.FaultSlot,
            KillInRollback = flags.FaultKillInRollback,
            Contract = flags.SettlementContract ?? file.Contract,
        };
    }

    private static IReadOnlyList<ClusterConfigChain> ChainEntries(ClusterConfigFile file, ClusterOverrides flags, string? source)
    {
        if (file.Chains.Count > 0)
        {
            if (flags.Chains is not null || flags.BaseChainId is not null)
                throw new ClusterConfigException($"--chains and --base-chain-id cannot change the chains listed in {source ?? "the configuration"}; edit its 'chains' list");
            return file.Chains;
        }
        var count = flags.Chains ?? ClusterConfigFile.DefaultChainCount;
        if (count is < 1 or > MaxFlagChains) throw new ClusterConfigException($"--chains must be between 1 and {MaxFlagChains}");
        var first = flags.BaseChainId ?? ClusterConfigFile.DefaultBaseChainId;
        if (first == 0 || first > ulong.MaxValue - (ulong)count) throw new ClusterConfigException("--base-chain-id must be positive and leave room for every chain");
        var entries = new ClusterConfigChain[count];
        for (var i = 0; i < count; i++) entries[i] = new ClusterConfigChain { ChainId = first + (ulong)i };
        return entries;
    }

    private static string Where(string? source) => source is null ? "" : source + ": ";
}
