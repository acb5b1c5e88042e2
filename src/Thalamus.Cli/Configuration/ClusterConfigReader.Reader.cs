using System.Globalization;
using System.Net;
using System.Numerics;
using Thalamus.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Thalamus.Cli.Configuration;

public static partial class ClusterConfigReader
{
    /// <summary>Walks the YAML tree, turning every node into a checked value or a located error.</summary>
    private sealed class Reader(string source, string baseDirectory)
    {
        public ClusterConfigFile ReadRoot(YamlNode root, string? sourcePath)
        {
            if (root is YamlScalarNode { Value: null or "" })
                throw Error(root, "the file is empty; it needs at least a 'chains:' list (see docs/cluster-config.md)");
            var map = ExpectMapping(root, "the file", "a mapping of settings (key: value)");

            TimeSpan? delta = null;
            string? dataDir = null;
            var ephemeral = false;
            var host = IPAddress.Loopback;
            var basePort = ClusterConfigFile.DefaultBasePort;
            var basePortNode = (YamlNode?)null;
            var accounts = (Mnemonic: Crypto.DevAccounts.DefaultMnemonic, Count: ClusterConfigFile.DefaultAccountCount, BalanceWei: UInt256.FromBigInteger(BigInteger.Pow(10, 22)));
            ulong? genesisTimestamp = null;
            ulong deliveryGasLimit = 1_000_000;
            ulong? deliveryGasBudget = null;
            long crossCallGasCap = 10_000_000;
            var maxCrossCallDepth = 8;
            var rpcGasCap = Chain.ChainProfile.DefaultRpcGasCap;
            Dictionary<string, double>? systemGasShares = null;
            YamlSequenceNode? chainsNode = null;
            bool? dev = null;
            YamlNode? apiNode = null;
            ClusterConfigAdmin? admin = null;
            YamlNode? parentNode = null;
            YamlNode? settlementNode = null;
            global::Thalamus.Rtc.RtcOptions? rtc = null;
            DdpnSettings? ddpn = null;
            Address? multicastFeeOwner = null;
            YamlNode? governanceNode = null;

            foreach (var (key, value) in Entries(map, TopLevelKeys, "setting"))
            {
                switch (key)
                {
                    case "chains": chainsNode = ExpectSequence(value, key); break;
                    case "delta":
                        delta = Duration(value, key);
                        if (delta == TimeSpan.Zero) throw Error(value, "delta: must be positive (it bounds message delivery)");
                        break;
                    case "dataDir": dataDir = Path.GetFullPath(Path.Combine(baseDirectory, String(value, key))); break;
                    case "ephemeral": ephemeral = Bool(value, key); break;
                    case "host":
                        var text = String(value, key);
                        if (!IPAddress.TryParse(text, out var address)) throw Error(value, $"host: '{text}' is not an IP address (e.g. 127.0.0.1)");
                        host = address;
                        break;
                    case "basePort": basePort = Int(value, key, 0, 65535); basePortNode = value; break;
                    case "accounts": accounts = Accounts(value); break;
                    case "genesisTimestamp": genesisTimestamp = ULong(value, key, 0); break;
                    case "deliveryGasLimit": deliveryGasLimit = ULong(value, key, 1); break;
                    case "deliveryGasBudget": deliveryGasBudget = ULong(value, key, 1); break;
                    case "crossCallGasCap": crossCallGasCap = (long)ULong(value, key, 1, long.MaxValue); break;
                    case "maxCrossCallDepth": maxCrossCallDepth = Int(value, key, 1, 1024); break;
                    case "dev": dev = Bool(value, key); break;
                    case "api": apiNode = value; break;
                    case "admin": admin = Admin(value); break;
                    case "rpcGasCap":
                        rpcGasCap = ULong(value, key, 0);
                        if (Chain.ChainProfile.RpcGasCapProblem(rpcGasCap) is { } problem) throw Error(value, $"rpcGasCap: {problem}");
                        break;
                    case "systemGasShares": systemGasShares = SystemGasShares(value); break;
                    case "parent": parentNode = value; break;
                    case "settlement": settlementNode = value; break;
                    case "rtc": rtc = RtcSettings(value); break;
                    case "ddpn": ddpn = Ddpn(value); break;
                    case "governance": governanceNode = value; break;
                    case "multicast":
                        foreach (var (mkey, mvalue) in Entries(ExpectMapping(value, "multicast", "a mapping such as { feeOwner: 0x… }"), MulticastKeys, "multicast setting"))
                            if (mkey == "feeOwner") multicastFeeOwner = AddressValue(mvalue, "multicast.feeOwner");
                        break;
                }
            }
            // After the loop: whether a namespace may be enabled depends on 'dev', wherever it is written.
            // When the file does not say, the command decides (devnet: dev), and the launch settings check again.
            var api = apiNode is null ? null : Api(apiNode, dev ?? true);
            // Also after it: whether governance can run depends on how many accounts there are to seat the Gerousia.
            var governance = governanceNode is null ? null : Governance(governanceNode, accounts.Count);

            var chains = chainsNode is null ? [] : Chains(chainsNode, basePort);
            if (chainsNode is not null && chains.Count == 0) throw Error(chainsNode, "chains: the list is empty; give at least one chain or leave 'chains' out");
            if (basePortNode is not null && basePort > 0 && basePort + Math.Max(chains.Count, 1) - 1 > 65535)
                throw Error(basePortNode, "basePort: leaves no room for every chain's port");

            return new ClusterConfigFile
            {
                SourcePath = sourcePath,
                Delta = delta,
                DataDirectory = dataDir,
                Ephemeral = ephemeral,
                Host = host,
                BasePort = basePort,
                Mnemonic = accounts.Mnemonic,
                AccountCount = accounts.Count,
                AccountBalanceWei = accounts.BalanceWei,
                GenesisTimestamp = genesisTimestamp,
                DeliveryGasLimit = deliveryGasLimit,
                DeliveryGasBudget = deliveryGasBudget,
                CrossCallGasCap = crossCallGasCap,
                MaxCrossCallDepth = maxCrossCallDepth,
                Dev = dev,
                Api = api,
                Admin = admin,
                RpcGasCap = rpcGasCap,
                SystemGasShares = systemGasShares,
                Chains = chains,
                Settlement = parentNode is null && settlementNode is null ? null : Settlement(parentNode, settlementNode),
                Rtc = rtc,
                Ddpn = ddpn,
                MulticastFeeOwner = multicastFeeOwner,
                Governance = governance,
            };
        }

        /// <summary>
        /// <c>governance:</c> the Agora's session calendar, its votes and the timelock delay, in seconds (docs/governance.md).
        /// Settings the genesis would refuse (a vote that cannot end inside its session) are refused here, at the key.
        /// </summary>
        private GovernanceSettings Governance(YamlNode node, int accountCount)
        {
            var map = ExpectMapping(node, "governance", "a mapping such as { sessionSeconds: 86400, sessionProposalSeconds: 43200, votingPeriodSeconds: 3600 }");
            var settings = new GovernanceSettings();
            YamlNode? calendarNode = null;
            foreach (var (key, value) in Entries(map, GovernanceKeys, "governance setting"))
            {
                var name = "governance." + key;
                uint Seconds(ulong min = 0) => (uint)ULong(value, name, min, uint.MaxValue);
                switch (key)
                {
                    case "enabled":
                        var enabled = Bool(value, name);
                        const int gerousia = global::Thalamus.Governance.GovernanceOptions.GerousiaSize;
                        if (enabled && accountCount < gerousia)
                            throw Error(value, $"{name}: true needs at least {gerousia} accounts to seat the Gerousia; accounts.count is {accountCount}");
                        settings = settings with { Enabled = enabled, EnabledAt = enabled ? $"{source}:{value.Start.Line}:{value.Start.Column}: " : null };
                        break;
                    case "sessionSeconds": settings = settings with { SessionSeconds = Seconds(1) }; calendarNode ??= value; break;
                    case "sessionProposalSeconds": settings = settings with { SessionProposalSeconds = Seconds(1) }; calendarNode ??= value; break;
                    case "votingDelaySeconds": settings = settings with { VotingDelaySeconds = Seconds() }; calendarNode ??= value; break;
                    case "votingPeriodSeconds": settings = settings with { VotingPeriodSeconds = Seconds(1) }; calendarNode ??= value; break;
                    case "timelockDelaySeconds": settings = settings with { TimelockDelaySeconds = Seconds() }; break;
                }
            }
            if (global::Thalamus.Governance.GovernanceOptions.SessionProblem(
                    settings.SessionSeconds, settings.SessionProposalSeconds, settings.VotingDelaySeconds, settings.VotingPeriodSeconds) is { } problem)
                throw Error(calendarNode ?? node, "governance: " + problem);
            return settings;
        }

        /// <summary><c>ddpn:</c> the payment token, the chains' share of a payment and their payees, the Pythias' vote timeout (docs/ddpn.md).</summary>
        private DdpnSettings Ddpn(YamlNode node)
        {
            var map = ExpectMapping(node, "ddpn", "a mapping such as { paymentToken: 0x…, chainShare: 0.5, chainPayees: { 901: 0x… }, voteTimeoutSlots: 16 }");
            var defaults = new global::Thalamus.Ddpn.DdpnOptions();
            var settings = new DdpnSettings { PaymentToken = defaults.PaymentToken, ChainSharePpm = defaults.ChainSharePpm, VoteTimeoutSlots = defaults.VoteTimeoutSlots };
            foreach (var (key, value) in Entries(map, DdpnKeys, "ddpn setting"))
            {
                var name = "ddpn." + key;
                switch (key)
                {
                    case "paymentToken": settings = settings with { PaymentToken = AddressValue(value, name) }; break;
                    case "defaultChainPayee": settings = settings with { DefaultChainPayee = AddressValue(value, name, allowZero: false) }; break;
                    case "voteTimeoutSlots": settings = settings with { VoteTimeoutSlots = ULong(value, name, 0, 1_000_000) }; break;
                    case "chainShare":
                        var text = Scalar(value, name, "a share between 0 and 1");
                        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var share) || share > 1)
                            throw Error(value, $"{name}: expected the chains' share of a payment between 0 and 1 (e.g. 0.5), found '{text}'");
                        if (share * 1_000_000 != decimal.Truncate(share * 1_000_000)) throw Error(value, $"{name}: {text} has more than 6 decimals (the share is kept in millionths)");
                        settings = settings with { ChainSharePpm = (uint)(share * 1_000_000) };
                        break;
                    case "chainPayees":
                        var payees = new Dictionary<ulong, Address>();
                        foreach (var (chainNode, payeeNode) in ExpectMapping(value, name, "a mapping of chain id to address, such as { 901: 0x… }").Children)
                        {
                            var chainId = ULong(chainNode, name, 1);
                            if (!payees.TryAdd(chainId, AddressValue(payeeNode, $"{name}.{chainId}", allowZero: false))) throw Error(chainNode, $"{name}: chain {chainId} is given twice");
                        }
                        settings = settings with { ChainPayees = payees };
                        break;
                }
            }
            return settings;
        }

        /// <summary>An address: 0x and 40 hex digits.</summary>
        private Address AddressValue(YamlNode node, string key, bool allowZero = true)
        {
            var text = Scalar(node, key, "an address (0x and 40 hex digits)");
            if (text.Length != 42 || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !Address.TryParse(text, out var address))
                throw Error(node, $"{key}: '{text}' is not an address (0x and 40 hex digits)");
            if (!allowZero && address == Address.Zero) throw Error(node, $"{key}: the zero address cannot be paid (the token refuses it)");
            return address;
        }

        /// <summary><c>rtc:</c> the chains outside the cluster RTCs reach through the node's relayers (docs/rtc.md).</summary>
        private global::Thalamus.Rtc.RtcOptions RtcSettings(YamlNode node)
        {
            var map = ExpectMapping(node, "rtc", "a mapping such as { external: [{ chainId: 31337, rpc: http://127.0.0.1:8545, gateway: 0x…, relayers: [{ name: a, key: 0x… }] }] }");
            var external = new List<global::Thalamus.Rtc.ExternalChainOptions>();
            var defaults = new global::Thalamus.Rtc.RtcOptions();
            var failover = defaults.FailoverAfter;
            var poll = defaults.PollInterval;
            foreach (var (key, value) in Entries(map, RtcKeys, "rtc setting"))
            {
                var name = "rtc." + key;
                switch (key)
                {
                    case "failoverAfter": failover = Duration(value, name); break;
                    case "pollInterval":
                        poll = Duration(value, name);
                        if (poll == TimeSpan.Zero) throw Error(value, $"{name}: must be positive");
                        break;
                    case "external":
                        var index = 0;
                        foreach (var item in ExpectSequence(value, name)) external.Add(RtcExternal(item, $"rtc.external[{index++}]"));
                        break;
                }
            }
            foreach (var group in external.GroupBy(e => e.ChainId).Where(g => g.Count() > 1))
                throw Error(node, $"rtc.external: chain {group.Key} is listed twice");
            return new global::Thalamus.Rtc.RtcOptions { External = external, FailoverAfter = failover, PollInterval = poll };
        }

        private global::Thalamus.Rtc.ExternalChainOptions RtcExternal(YamlNode node, string where)
        {
            var map = ExpectMapping(node, where, "a mapping such as { chainId: 31337, rpc: http://127.0.0.1:8545, gateway: 0x…, relayers: [...] }");
            ulong? chainId = null;
            Uri? rpc = null;
            Address? gateway = null;
            var relayers = new List<global::Thalamus.Rtc.RelayerOptions>();
            foreach (var (key, value) in Entries(map, RtcExternalKeys, "external chain setting"))
            {
                var name = $"{where}.{key}";
                switch (key)
                {
                    case "chainId": chainId = ULong(value, name, 1); break;
                    case "rpc":
                        rpc = Uri.TryCreate(String(value, name), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                            ? uri : throw Error(value, $"{name}: '{String(value, name)}' is not an http(s) URL");
                        break;
                    case "gateway":
                        gateway = Address.TryParse(String(value, name), out var address) ? address : throw Error(value, $"{name}: not an address");
                        break;
                    case "relayers":
                        var index = 0;
                        foreach (var item in ExpectSequence(value, name)) relayers.Add(RtcRelayer(item, $"{name}[{index++}]"));
                        break;
                }
            }
            if (chainId is null || rpc is null || gateway is null || relayers.Count == 0)
                throw Error(node, $"{where}: needs chainId, rpc, gateway and at least one relayer");
            if (relayers.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
                throw Error(node, $"{where}.relayers: the name '{twice.Key}' is used twice");
            return new global::Thalamus.Rtc.ExternalChainOptions { ChainId = chainId.Value, Rpc = rpc, Gateway = gateway.Value, Relayers = relayers };
        }

        private global::Thalamus.Rtc.RelayerOptions RtcRelayer(YamlNode node, string where)
        {
            var map = ExpectMapping(node, where, "a mapping such as { name: a, key: 0x<32-byte private key>, feeWei: 0, latency: 2s }");
            string? name = null;
            byte[]? privateKey = null;
            var fee = UInt256.Zero;
            var latency = TimeSpan.Zero;
            foreach (var (key, value) in Entries(map, RtcRelayerKeys, "relayer setting"))
            {
                var label = $"{where}.{key}";
                switch (key)
                {
                    case "name":
                        name = String(value, label);
                        if (System.Text.Encoding.UTF8.GetByteCount(name) > 32) throw Error(value, $"{label}: at most 32 bytes (it is a bytes32 on chain)");
                        break;
                    case "key":
                        privateKey = Hex.TryDecode(String(value, label), out var bytes) && bytes.Length == 32
                            ? bytes : throw Error(value, $"{label}: not a 32-byte hex private key");
                        break;
                    case "feeWei": fee = new UInt256(ULong(value, label, 0)); break;
                    case "latency": latency = Duration(value, label); break;
                }
            }
            if (string.IsNullOrEmpty(name) || privateKey is null) throw Error(node, $"{where}: needs a name and a key");
            return new global::Thalamus.Rtc.RelayerOptions { Name = name, PrivateKey = privateKey, FeeWei = fee, LatencyMs = (ulong)latency.TotalMilliseconds };
        }

        /// <summary><c>parent:</c> and <c>settlement:</c>: either one turns joint settlement on.</summary>
        private SettlementLaunch Settlement(YamlNode? parentNode, YamlNode? settlementNode)
        {
            var launch = new SettlementLaunch();
            if (parentNode is not null)
            {
                var map = ExpectMapping(parentNode, "parent", "a mapping such as { rpc: http://127.0.0.1:8545 } (or { port: 9544 } for the embedded parent)");
                foreach (var (key, value) in Entries(map, ParentKeys, "parent setting"))
                {
                    var name = "parent." + key;
                    launch = key switch
                    {
                        "rpc" => Uri.TryCreate(String(value, name), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                            ? new SettlementLaunch { ParentRpc = uri, ParentChainId = launch.ParentChainId, ParentPort = launch.ParentPort, ParentBlockTime = launch.ParentBlockTime }
                            : throw Error(value, $"{name}: '{String(value, name)}' is not an http(s) URL"),
                        "chainId" => Copy(launch, chainId: ULong(value, name, 1)),
                        "port" => Copy(launch, port: Int(value, name, 0, 65535)),
                        "blockTime" => Copy(launch, blockTime: Duration(value, name) is { Ticks: > 0 } t ? t : throw Error(value, $"{name}: must be positive")),
                        _ => launch,
                    };
                }
            }
            if (settlementNode is null) return launch;
            var settings = ExpectMapping(settlementNode, "settlement", "a mapping such as { slotsPerBatch: 4, challengeWindow: 10s }");
            var slots = launch.SlotsPerBatch;
            var window = launch.ChallengeWindow;
            var timeout = launch.ArbitrationTimeout;
            ulong? fault = null;
            Address? contract = null;
            foreach (var (key, value) in Entries(settings, SettlementKeys, "settlement setting"))
            {
                var name = "settlement." + key;
                switch (key)
                {
                    case "slotsPerBatch": slots = Int(value, name, 1, 4096); break;
                    case "challengeWindow": window = Duration(value, name); break;
                    case "arbitrationTimeout": timeout = Duration(value, name); break;
                    case "faultSlot": fault = ULong(value, name, 1); break;
                    case "contract":
                        contract = Address.TryParse(String(value, name), out var address) ? address : throw Error(value, $"{name}: not an address");
                        break;
                }
            }
            return new SettlementLaunch
            {
                ParentRpc = launch.ParentRpc, ParentChainId = launch.ParentChainId, ParentPort = launch.ParentPort, ParentBlockTime = launch.ParentBlockTime,
                SlotsPerBatch = slots, ChallengeWindow = window, ArbitrationTimeout = timeout, FaultSlot = fault, Contract = contract,
            };
        }

        private static SettlementLaunch Copy(SettlementLaunch l, ulong? chainId = null, int? port = null, TimeSpan? blockTime = null) => new()
        {
            ParentRpc = l.ParentRpc, ParentChainId = chainId ?? l.ParentChainId, ParentPort = port ?? l.ParentPort, ParentBlockTime = blockTime ?? l.ParentBlockTime,
        };

        private (string Mnemonic, int Count, UInt256 BalanceWei) Accounts(YamlNode node)
        {
            var map = ExpectMapping(node, "accounts", "a mapping such as { mnemonic: \"...\", count: 10, balanceEth: 10000 }");
            var result = (Mnemonic: Crypto.DevAccounts.DefaultMnemonic, Count: ClusterConfigFile.DefaultAccountCount, BalanceWei: UInt256.FromBigInteger(BigInteger.Pow(10, 22)));
            foreach (var (key, value) in Entries(map, AccountKeys, "accounts setting"))
            {
                var name = "accounts." + key;
                switch (key)
                {
                    case "mnemonic":
                        result.Mnemonic = String(value, name);
                        try
                        {
                            Crypto.Mnemonic.Validate(result.Mnemonic);
                        }
                        catch (Crypto.MnemonicException e)
                        {
                            throw Error(value, $"{name}: {e.Message}");
                        }
                        break;
                    case "count": result.Count = Int(value, name, 0, 1000); break;
                    case "balanceEth": result.BalanceWei = Eth(value, name); break;
                }
            }
            return result;
        }

        /// <summary><c>api:</c> as a list (<c>[eth, net, web3]</c>) or geth's comma-separated text (<c>eth,net,web3</c>).</summary>
        private List<string> Api(YamlNode node, bool dev)
        {
            var items = new List<(string Name, YamlNode Node)>();
            if (node is YamlSequenceNode sequence)
            {
                foreach (var item in sequence.Children) items.Add((String(item, "api"), item));
            }
            else
            {
                foreach (var part in Scalar(node, "api", "a list of namespaces such as [eth, net, web3]").Split(','))
                    if (part.Trim().Length > 0) items.Add((part.Trim(), node));
            }
            if (items.Count == 0) throw Error(node, "api: the list is empty; name at least one namespace (eth, net, web3, ...) or leave 'api' out");
            var names = new List<string>();
            foreach (var (name, at) in items)
            {
                if (Thalamus.Rpc.RpcNamespaces.WhyNotEnabled(name, dev) is { } why)
                    throw Error(at, "api: " + why);
                if (names.Contains(name)) throw Error(at, $"api: '{name}' is listed twice");
                names.Add(name);
            }
            return names;
        }

        private ClusterConfigAdmin Admin(YamlNode node)
        {
            var map = ExpectMapping(node, "admin", "a mapping such as { port: 8551, jwtSecret: ./jwtsecret }");
            var host = IPAddress.Loopback;
            int? port = null;
            string? secret = null;
            foreach (var (key, value) in Entries(map, AdminKeys, "admin setting"))
            {
                var name = "admin." + key;
                switch (key)
                {
                    case "host":
                        var text = String(value, name);
                        if (!IPAddress.TryParse(text, out var address)) throw Error(value, $"{name}: '{text}' is not an IP address (e.g. 127.0.0.1)");
                        host = address;
                        break;
                    case "port": port = Int(value, name, 0, 65535); break;
                    case "jwtSecret": secret = Path.GetFullPath(Path.Combine(baseDirectory, String(value, name))); break;
                }
            }
            if (port is null) throw Error(node, "admin: 'port' is required (the admin endpoint's own port, e.g. 8551)");
            if (secret is null) throw Error(node, "admin: 'jwtSecret' is required (a file holding 32 bytes as hex; created at start if missing)");
            return new ClusterConfigAdmin { Host = host, Port = port.Value, JwtSecretPath = secret };
        }

        private List<ClusterConfigChain> Chains(YamlSequenceNode sequence, int basePort)
        {
            var chains = new List<ClusterConfigChain>();
            var idLines = new Dictionary<ulong, int>();
            var portOwners = new Dictionary<int, ulong>();
            var index = 0;
            foreach (var item in sequence.Children)
            {
                var map = ExpectMapping(item, $"chains[{index}]", "a mapping such as { chainId: 901, blockTime: 2s }");
                ulong? chainId = null;
                string? name = null;
                var blockTime = TimeSpan.Zero;
                ulong gasLimit = 30_000_000;
                var maxTransactionBytes = 128 * 1024;
                int? port = null;
                YamlNode? portNode = null;
                ForkSpec? fork = null;
                foreach (var (key, value) in Entries(map, ChainKeys, "chain setting"))
                {
                    var label = $"chains[{index}].{key}";
                    switch (key)
                    {
                        case "chainId":
                            chainId = ULong(value, label, 1);
                            if (idLines.TryGetValue(chainId.Value, out var firstLine))
                                throw Error(value, $"{label}: chain id {chainId} is already used by the chain on line {firstLine}");
                            break;
                        case "name":
                            name = String(value, label);
                            if (name.Length > 64) throw Error(value, $"{label}: at most 64 characters");
                            break;
                        case "blockTime": blockTime = Duration(value, label); break;
                        case "gasLimit": gasLimit = ULong(value, label, Chain.IntrinsicGas.Transaction); break;
                        case "maxTransactionBytes": maxTransactionBytes = Int(value, label, 1, int.MaxValue); break;
                        case "port": port = Int(value, label, 0, 65535); portNode = value; break;
                        case "fork":
                            fork = ForkSpec.TryParseTarget(String(value, label), out var spec, out var why) ? spec : throw Error(value, $"{label}: {why}");
                            break;
                    }
                }
                if (chainId is not { } id) throw Error(item, $"chains[{index}]: 'chainId' is required");
                idLines[id] = (int)item.Start.Line;
                var resolved = ClusterConfigFile.ResolvePort(basePort, port, index);
                if (resolved != 0)
                {
                    if (portOwners.TryGetValue(resolved, out var other))
                        throw Error(portNode ?? item, $"chains[{index}]: port {resolved} is already used by chain {other}" + (port is null ? $" (basePort + {index}); give this chain its own 'port'" : ""));
                    portOwners[resolved] = id;
                }
                chains.Add(new ClusterConfigChain
                {
                    ChainId = id,
                    Name = name,
                    BlockTime = blockTime,
                    GasLimit = gasLimit,
                    MaxTransactionBytes = maxTransactionBytes,
                    Port = port,
                    Fork = fork,
                    Line = (int)item.Start.Line,
                });
                index++;
            }
            return chains;
        }

        /// <summary>systemGasShares: { module: share of a block's gas, 0 to 1 }; the modules' sum is checked when the cluster starts.</summary>
        private Dictionary<string, double> SystemGasShares(YamlNode node)
        {
            var map = ExpectMapping(node, "systemGasShares", "a mapping such as { messenger: 0.5 }");
            var shares = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in map.Children)
            {
                if (keyNode is not YamlScalarNode { Value: { Length: > 0 } module }) throw Error(keyNode, "systemGasShares: expected a module name");
                var key = "systemGasShares." + module;
                var text = Scalar(value, key, "a share of the block's gas between 0 and 1");
                if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var share) || share > 1)
                    throw Error(value, $"{key}: expected a share of the block's gas between 0 and 1 (e.g. 0.5), found '{text}'");
                if (!shares.TryAdd(module, share)) throw Error(keyNode, $"'{key}' is given twice");
            }
            return shares;
        }

        /// <summary>The entries of <paramref name="map"/>, refusing unknown and repeated keys.</summary>
        private IEnumerable<(string Key, YamlNode Value)> Entries(YamlMappingNode map, IReadOnlyList<string> known, string what)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in map.Children)
            {
                if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
                    throw Error(keyNode, $"expected a {what} name");
                if (!known.Contains(key))
                {
                    var hint = known.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
                    throw Error(keyNode, $"unknown {what} '{key}'" + (hint is not null ? $" (did you mean '{hint}'?)" : $"; known: {string.Join(", ", known)}"));
                }
                if (!seen.Add(key)) throw Error(keyNode, $"'{key}' is given twice");
                yield return (key, value);
            }
        }

        private YamlMappingNode ExpectMapping(YamlNode node, string what, string expected) =>
            node as YamlMappingNode ?? throw Error(node, $"{what}: expected {expected}, found {Describe(node)}");

        private YamlSequenceNode ExpectSequence(YamlNode node, string key) =>
            node as YamlSequenceNode ?? throw Error(node, $"{key}: expected a list (one '- {{ chainId: ... }}' per chain), found {Describe(node)}");

        private string Scalar(YamlNode node, string key, string expected)
        {
            if (node is not YamlScalarNode scalar) throw Error(node, $"{key}: expected {expected}, found {Describe(node)}");
            var value = scalar.Value;
            var isNull = scalar.Style == ScalarStyle.Plain && (value is null or "" or "~" or "null" or "Null" or "NULL");
            if (isNull || value is null) throw Error(node, $"{key}: a value is required ({expected})");
            return value;
        }

        private string String(YamlNode node, string key)
        {
            var value = Scalar(node, key, "a string");
            if (value.Trim().Length == 0) throw Error(node, $"{key}: must not be empty");
            return value;
        }

        private bool Bool(YamlNode node, string key) => Scalar(node, key, "true or false").ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            var other => throw Error(node, $"{key}: expected true or false, found '{other}'"),
        };

        private TimeSpan Duration(YamlNode node, string key)
        {
            var text = Scalar(node, key, DurationText.Expected);
            if (!DurationText.TryParse(text, out var duration))
                throw Error(node, $"{key}: '{text}' is not {DurationText.Expected} (between 0 and 1 day)");
            return duration;
        }

        private ulong ULong(YamlNode node, string key, ulong min, ulong max = ulong.MaxValue)
        {
            var text = Scalar(node, key, "a whole number");
            if (!ulong.TryParse(text.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                throw Error(node, $"{key}: '{text}' is not a whole number" + (text.StartsWith('-') ? " (it cannot be negative)" : ""));
            if (value < min || value > max)
                throw Error(node, $"{key}: {value} is out of range ({min.ToString("N0", CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)})");
            return value;
        }

        private int Int(YamlNode node, string key, int min, int max) => (int)ULong(node, key, (ulong)min, (ulong)max);

        private UInt256 Eth(YamlNode node, string key)
        {
            var text = Scalar(node, key, "an amount of ETH");
            if (!decimal.TryParse(text.Replace("_", ""), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var eth))
                throw Error(node, $"{key}: '{text}' is not a non-negative amount of ETH");
            if (eth > 1_000_000_000_000_000_000m) throw Error(node, $"{key}: {text} ETH is too large");
            return ClusterConfigFile.EthToWei(eth);
        }

        private static string Describe(YamlNode node) => node switch
        {
            YamlMappingNode => "a mapping",
            YamlSequenceNode => "a list",
            YamlScalarNode { Value: null or "" } => "nothing",
            YamlScalarNode s => $"'{s.Value}'",
            _ => "something else",
        };

        private ClusterConfigException Error(YamlNode node, string message) =>
            new($"{source}:{node.Start.Line}:{node.Start.Column}: {message}");
    }
}
