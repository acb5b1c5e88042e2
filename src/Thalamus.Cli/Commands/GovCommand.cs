using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Thalamus.Core;
using Thalamus.Crypto;
using G = Thalamus.Governance.GovernanceContracts;

namespace Thalamus.Cli.Commands;

/// <summary>
/// <c>thalamus gov stake|propose|vote|execute|approve|status</c>: the Agora from the command line, against a running
/// devnet's home chain (docs/governance.md), signing with a dev account. A decision is one call to
/// ClusterDecisions or the grant fund; <c>execute</c> takes the same decision options as <c>propose</c>
/// (queues it once the vote passed, executes it once the timelock delay is over). A code change (<c>--upgrade</c>,
/// <c>--parameter</c>) also needs 3 of the 5 Gerousia members to <c>approve</c> its change id.
/// </summary>
public static class GovCommand
{
    private static readonly string[] States = ["pending", "active", "canceled", "defeated", "succeeded", "queued", "expired", "executed"];

    public static Command Create()
    {
        var command = new Command("gov", "Governance: stake Athena, propose and vote in the Agora, approve code changes (Gerousia), carry out decisions, show status.");
        command.Subcommands.Add(Stake());
        command.Subcommands.Add(Propose(execute: false));
        command.Subcommands.Add(Propose(execute: true));
        command.Subcommands.Add(Vote());
        command.Subcommands.Add(Approve());
        command.Subcommands.Add(Status());
        return command;
    }

    private static Option<string> RpcOption() => new("--rpc") { Description = "JSON-RPC endpoint of the home chain (the cluster's first chain)", DefaultValueFactory = _ => "http://127.0.0.1:8545" };

    private static Option<int> AccountOption() => new("--account") { Description = "dev account index (0-9) that signs", DefaultValueFactory = _ => 0 };

    private static async Task<DdpnRpcClient> Connect(HttpClient http, Uri rpc, int account)
    {
        if (account is < 0 or > 9) throw new ArgumentException("--account must be a dev account index in 0..9");
        var key = DevAccounts.Derive(DevAccounts.DefaultMnemonic, account + 1)[account];
        using var probe = new DdpnRpcClient(http, rpc, 0, key);
        var chainId = Convert.ToUInt64((await probe.Request("eth_chainId").ConfigureAwait(false))!.GetValue<string>(), 16);
        return new DdpnRpcClient(http, rpc, chainId, key);
    }

    private static int Run(Func<Task<int>> action)
    {
        try
        {
            return action().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or HttpRequestException or OverflowException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    private static Command Stake()
    {
        var rpc = RpcOption();
        var account = AccountOption();
        var amount = new Option<string>("--amount") { Description = "Athena to stake (whole tokens)", Required = true };
        var command = new Command("stake", "Stake Athena (voting power in the Agora; mints 10 Hermes per Athena).") { rpc, account, amount };
        command.SetAction(result => Run(async () =>
        {
            using var http = new HttpClient();
            using var client = await Connect(http, new Uri(result.GetValue(rpc)!), result.GetValue(account));
            var wei = UInt256.FromBigInteger(BigInteger.Parse(result.GetValue(amount)!, CultureInfo.InvariantCulture) * BigInteger.Pow(10, 18));
            await client.Send(G.Athena, Abi.Call("approve(address,uint256)", G.Staking, wei), 200_000);
            await client.Send(G.Staking, Abi.Call("stake(uint256)", wei), 500_000);
            Console.WriteLine($"staked {result.GetValue(amount)} Athena");
            return 0;
        }));
        return command;
    }

    /// <summary>A decision: the call the Agora's proposal makes, its description, and the Gerousia change id when it needs one.</summary>
    public sealed record Decision(Address Target, byte[] Call, string Description, Hash256? Change);

    /// <summary>The decision options: exactly one of admit, remove, grant, score, upgrade, parameter.</summary>
    private sealed record DecisionOptions(Option<ulong?> Admit, Option<ulong> BlockTimeMs, Option<string?> Name, Option<ulong?> Remove,
        Option<string?> Grant, Option<string> Amount, Option<ulong?> Score, Option<string> Key, Option<string?> Value, Option<string?> Description,
        Option<string?> Upgrade, Option<string?> CodeFile, Option<string?> Artifact, Option<string?> Parameter, Option<string> Salt)
    {
        public static DecisionOptions Create() => new(
            new Option<ulong?>("--admit") { Description = "admit this chain id" },
            new Option<ulong>("--block-time-ms") { Description = "the admitted chain's block time (0: automine)", DefaultValueFactory = _ => 0 },
            new Option<string?>("--name") { Description = "the admitted chain's name" },
            new Option<ulong?>("--remove") { Description = "remove this chain id" },
            new Option<string?>("--grant") { Description = "pay a grant from the grant fund to this address" },
            new Option<string>("--amount") { Description = "the grant in Hermes wei", DefaultValueFactory = _ => "0" },
            new Option<ulong?>("--score") { Description = "set a profile score of this chain id" },
            new Option<string>("--key") { Description = "the profile score's name (hashed with keccak256)", DefaultValueFactory = _ => "decentralisation" },
            new Option<string?>("--value") { Description = "the profile score's or the parameter's value (decimal)" },
            new Option<string?>("--description") { Description = "the proposal's description (it identifies the proposal; default: made from the decision)" },
            new Option<string?>("--upgrade") { Description = "upgrade the predeploy at this address (needs the Gerousia): ClusterDecisions.approveUpgrade(target, code, salt)" },
            new Option<string?>("--code-file") { Description = "with --upgrade: the new runtime code, a file of hex (0x optional) or of raw bytes" },
            new Option<string?>("--artifact") { Description = "with --upgrade: the new runtime code from contracts/artifacts/NAME.json (deployedBytecode; no immutables)" },
            new Option<string?>("--parameter") { Description = "set a security parameter (needs the Gerousia): its name (keccak256 of it, e.g. gasLimit or gasLimit:902) or a 0x 32-byte key; --value the value" },
            new Option<string>("--salt") { Description = "with --upgrade or --parameter: the salt that makes the change id unique (decimal)", DefaultValueFactory = _ => "0" });

        public IEnumerable<Option> All => [Admit, BlockTimeMs, Name, Remove, Grant, Amount, Score, Key, Value, Description, Upgrade, CodeFile, Artifact, Parameter, Salt];

        public Decision Read(ParseResult result)
        {
            var chosen = new object?[]
            {
                result.GetValue(Admit), result.GetValue(Remove), result.GetValue(Grant), result.GetValue(Score), result.GetValue(Upgrade), result.GetValue(Parameter),
            }.Count(v => v is not null);
            if (chosen != 1) throw new ArgumentException("give exactly one decision: --admit, --remove, --grant, --score, --upgrade or --parameter");
            var salt = Number(result.GetValue(Salt)!, "--salt");
            Decision decision;
            if (result.GetValue(Admit) is { } admit)
                decision = new(G.Decisions, Abi.Call("admitChain(uint64,uint64,uint64,string)", admit, result.GetValue(BlockTimeMs), 30_000_000UL,
                    AbiValue.String(result.GetValue(Name) ?? $"thalamus-{admit}")), $"admit chain {admit}", null);
            else if (result.GetValue(Remove) is { } remove)
                decision = new(G.Decisions, Abi.Call("removeChain(uint64)", remove), $"remove chain {remove}", null);
            else if (result.GetValue(Grant) is { } grant)
            {
                var amount = Number(result.GetValue(Amount)!, "--amount");
                decision = new(G.GrantFund, Abi.Call("grant(address,uint256,string)", ParseAddress(grant, "--grant"), amount, AbiValue.String("grant")), $"grant {amount} to {grant}", null);
            }
            else if (result.GetValue(Score) is { } chain)
            {
                var value = Number(result.GetValue(Value) ?? throw new ArgumentException("--score needs --value"), "--value");
                var key = Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes(result.GetValue(Key)!));
                decision = new(G.Decisions, Abi.Call("setProfileScore(uint64,bytes32,uint256)", chain, key, value),
                    $"score {result.GetValue(Key)} of chain {chain} = {value}", null);
            }
            else if (result.GetValue(Upgrade) is { } upgrade)
            {
                var target = ParseAddress(upgrade, "--upgrade");
                var code = UpgradeCode(result.GetValue(CodeFile), result.GetValue(Artifact));
                var codeHash = Keccak256.Compute(code);
                decision = new(G.Decisions, Abi.Call("approveUpgrade(address,bytes,uint256)", target, AbiValue.Bytes(code), salt),
                    $"upgrade {target} to code {codeHash} (salt {salt})", UpgradeChangeId(target, codeHash, salt));
            }
            else
            {
                var name = result.GetValue(Parameter)!;
                var key = ParameterKey(name);
                var value = Number(result.GetValue(Value) ?? throw new ArgumentException("--parameter needs --value"), "--value");
                decision = new(G.Decisions, Abi.Call("setParameter(bytes32,uint256,uint256)", key, value, salt),
                    $"set parameter {name} = {value} (salt {salt})", ParameterChangeId(key, value, salt));
            }
            if (decision.Change is null && (result.GetValue(CodeFile) is not null || result.GetValue(Artifact) is not null))
                throw new ArgumentException("--code-file and --artifact go with --upgrade");
            return decision with { Description = result.GetValue(Description) ?? decision.Description };
        }
    }

    /// <summary>The Gerousia change id of an upgrade: ClusterDecisions.upgradeChangeId = keccak256(abi.encode("upgrade", target, codeHash, salt)).</summary>
    public static Hash256 UpgradeChangeId(Address target, Hash256 codeHash, UInt256 salt) =>
        Keccak256.Compute(Abi.Encode(AbiValue.String("upgrade"), target, codeHash, salt));

    /// <summary>The Gerousia change id of a parameter: ClusterDecisions.parameterChangeId = keccak256(abi.encode("parameter", key, value, salt)).</summary>
    public static Hash256 ParameterChangeId(Hash256 key, UInt256 value, UInt256 salt) =>
        Keccak256.Compute(Abi.Encode(AbiValue.String("parameter"), key, value, salt));

    /// <summary>A parameter's key: a 0x 32-byte key as given, else keccak256 of the name (GovernanceParameters: gasLimit, gasLimit:CHAIN).</summary>
    public static Hash256 ParameterKey(string name)
    {
        if (name.Length == 0) throw new ArgumentException("--parameter needs a name (e.g. gasLimit or gasLimit:902) or a 0x 32-byte key");
        if (name.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var bytes = Hex.Decode(name);
            if (bytes.Length != 32) throw new ArgumentException($"--parameter {name}: a 0x key has 32 bytes, not {bytes.Length}");
            return new Hash256(bytes);
        }
        return Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes(name));
    }

    private static UInt256 Number(string text, string option)
    {
        if (!BigInteger.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value.GetByteCount(isUnsigned: true) > 32)
            throw new ArgumentException($"{option} must be a decimal number from 0 to 2^256-1, not \"{text}\"");
        return UInt256.FromBigInteger(value);
    }

    private static Address ParseAddress(string text, string option) =>
        Address.TryParse(text, out var address) ? address : throw new ArgumentException($"{option} must be a 0x address of 20 bytes, not \"{text}\"");

    /// <summary>The runtime code of an upgrade: exactly one of a code file (hex or raw) and an artifact name.</summary>
    private static byte[] UpgradeCode(string? codeFile, string? artifact)
    {
        if ((codeFile is null) == (artifact is null)) throw new ArgumentException("--upgrade needs the new code: give --code-file F or --artifact NAME (one of them)");
        byte[] code;
        if (codeFile is not null)
        {
            if (!File.Exists(codeFile)) throw new ArgumentException($"--code-file {codeFile}: no such file");
            var raw = File.ReadAllBytes(codeFile);
            var text = System.Text.Encoding.ASCII.GetString(raw).Trim();
            var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
            code = hex.Length > 0 && hex.Length % 2 == 0 && hex.All(Uri.IsHexDigit) ? Convert.FromHexString(hex) : raw;
        }
        else code = ArtifactCode(artifact!);
        if (code.Length is 0 or > 24_576) throw new ArgumentException($"the upgrade's code has {code.Length} bytes; it must have 1..24576 (EIP-170)");
        return code;
    }

    /// <summary>deployedBytecode of contracts/artifacts/NAME.json, found above the current directory or the CLI's own.</summary>
    private static byte[] ArtifactCode(string name)
    {
        if (name.Length == 0 || name.IndexOfAny(['/', '\\', '.']) >= 0) throw new ArgumentException($"--artifact takes a contract name (e.g. Hermes), not \"{name}\"");
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var path = Path.Combine(dir.FullName, "contracts", "artifacts", name + ".json");
                if (!File.Exists(path)) continue;
                var json = JsonNode.Parse(File.ReadAllText(path));
                var hex = json?["deployedBytecode"]?.GetValue<string>();
                if (string.IsNullOrEmpty(hex) || hex == "0x") throw new ArgumentException($"{path} has no deployedBytecode (an interface or abstract contract?)");
                return Hex.Decode(hex);
            }
        }
        throw new ArgumentException($"--artifact {name}: contracts/artifacts/{name}.json was found neither above {Environment.CurrentDirectory} nor above {AppContext.BaseDirectory}");
    }

    private static AbiValue[] Parts(Address target, byte[] call) =>
        [AbiValue.Array((AbiValue)target), AbiValue.Array((AbiValue)UInt256.Zero), AbiValue.Array(AbiValue.Bytes(call))];

    private static Command Propose(bool execute)
    {
        var rpc = RpcOption();
        var account = AccountOption();
        var decision = DecisionOptions.Create();
        var dryRun = new Option<bool>("--dry-run") { Description = "print the proposal (target, calldata, description, change id) and send nothing" };
        var command = execute
            ? new Command("execute", "Queue a passed proposal, or execute a queued one whose timelock delay is over (same decision options as propose).")
            : new Command("propose", "Propose a decision to the Agora (needs 10% of the staked Athena).");
        command.Options.Add(rpc);
        command.Options.Add(account);
        foreach (var option in decision.All) command.Options.Add(option);
        command.Options.Add(dryRun);
        command.SetAction(result => Run(async () =>
        {
            var (target, call, description, change) = decision.Read(result);
            if (result.GetValue(dryRun))
            {
                Console.WriteLine($"target {target}");
                Console.WriteLine($"calldata {Hex.Encode(call)}");
                Console.WriteLine($"description {description}");
                if (change is { } changeId) Console.WriteLine($"change {changeId}");
                return 0;
            }
            using var http = new HttpClient();
            using var client = await Connect(http, new Uri(result.GetValue(rpc)!), result.GetValue(account));
            var descriptionHash = Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes(description));
            var id = UInt256.FromBigEndian(await client.Call(G.Governor, Abi.Call("hashProposal(address[],uint256[],bytes[],bytes32)", [.. Parts(target, call), descriptionHash])));
            if (!execute)
            {
                await client.Send(G.Governor, Abi.Call("propose(address[],uint256[],bytes[],string)", [.. Parts(target, call), AbiValue.String(description)]), 5_000_000);
                Console.WriteLine($"proposal {id} (\"{description}\")");
                if (change is { } changeId)
                    Console.WriteLine($"change {changeId}: needs 3 of the 5 Gerousia members (thalamus gov approve --change {changeId}) before it can execute");
                return 0;
            }
            var state = await State(client, id);
            var step = state switch { 4 => "queue", 5 => "execute", _ => null };
            if (step is null) throw new InvalidOperationException($"proposal {id} is {States[state]}: only a succeeded proposal can be queued and a queued one executed");
            if (step == "execute" && change is { } needed
                && UInt256.FromBigEndian(await client.Call(G.Gerousia, Abi.Call("approved(bytes32)", needed))).IsZero)
            {
                var approvals = UInt256.FromBigEndian(await client.Call(G.Gerousia, Abi.Call("approvals(bytes32)", needed)));
                throw new InvalidOperationException($"change {needed} has {approvals} of the 3 Gerousia approvals it needs " +
                    "(ClusterDecisions would revert DecisionsNeedsGerousia); members approve with thalamus gov approve --change");
            }
            await client.Send(G.Governor, Abi.Call($"{step}(address[],uint256[],bytes[],bytes32)", [.. Parts(target, call), descriptionHash]), 5_000_000);
            Console.WriteLine($"proposal {id}: {(step == "queue" ? "queued" : "executed")}");
            return 0;
        }));
        return command;
    }

    private static async Task<int> State(DdpnRpcClient client, UInt256 id) =>
        (int)(ulong)UInt256.FromBigEndian(await client.Call(G.Governor, Abi.Call("state(uint256)", id)));

    private static Command Vote()
    {
        var rpc = RpcOption();
        var account = AccountOption();
        var proposal = new Option<string>("--proposal") { Description = "the proposal id (decimal or 0x hex)", Required = true };
        var support = new Option<string>("--support") { Description = "for, against or abstain", DefaultValueFactory = _ => "for" };
        var command = new Command("vote", "Vote on an Agora proposal with the staked Athena of the account.") { rpc, account, proposal, support };
        command.SetAction(result => Run(async () =>
        {
            var choice = result.GetValue(support) switch
            {
                "against" => 0UL, "for" => 1UL, "abstain" => 2UL,
                var other => throw new ArgumentException($"--support must be for, against or abstain, not \"{other}\""),
            };
            var text = result.GetValue(proposal)!;
            var id = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? UInt256.FromBigInteger(BigInteger.Parse("0" + text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture))
                : UInt256.FromBigInteger(BigInteger.Parse(text, CultureInfo.InvariantCulture));
            using var http = new HttpClient();
            using var client = await Connect(http, new Uri(result.GetValue(rpc)!), result.GetValue(account));
            await client.Send(G.Governor, Abi.Call("castVote(uint256,uint8)", id, choice), 500_000);
            Console.WriteLine($"voted {result.GetValue(support)} on proposal {id}; it is {States[await State(client, id)]}");
            return 0;
        }));
        return command;
    }

    private static Command Approve()
    {
        var rpc = RpcOption();
        var account = AccountOption();
        var change = new Option<string>("--change") { Description = "the change id (0x, 32 bytes) that propose printed", Required = true };
        var command = new Command("approve", "A Gerousia member approves a code change (an upgrade or a security parameter) by its change id.") { rpc, account, change };
        command.SetAction(result => Run(async () =>
        {
            var text = result.GetValue(change)!;
            var bytes = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && text.Length == 66 && text[2..].All(Uri.IsHexDigit)
                ? Hex.Decode(text) : throw new ArgumentException($"--change must be a 0x change id of 32 bytes, not \"{text}\"");
            using var http = new HttpClient();
            using var client = await Connect(http, new Uri(result.GetValue(rpc)!), result.GetValue(account));
            var sender = DevAccounts.Derive(DevAccounts.DefaultMnemonic, result.GetValue(account) + 1)[result.GetValue(account)].Address;
            var member = UInt256.FromBigEndian(await client.Call(G.Gerousia, Abi.Call("isMember(address)", sender)));
            if (member.IsZero) throw new InvalidOperationException($"{sender} is not a member of the Gerousia; only its 5 members approve changes");
            await client.Send(G.Gerousia, Abi.Call("approve(bytes32)", new Hash256(bytes)), 200_000);
            var approved = !UInt256.FromBigEndian(await client.Call(G.Gerousia, Abi.Call("approved(bytes32)", new Hash256(bytes)))).IsZero;
            Console.WriteLine($"approved change {text}; {(approved ? "the Gerousia has approved it (3 of 5)" : "it needs more members' approvals (3 of 5)")}");
            return 0;
        }));
        return command;
    }

    private static Command Status()
    {
        var rpc = RpcOption();
        var command = new Command("status", "Show the governance contracts, the members and the decisions the cluster carried out.") { rpc };
        command.SetAction(result => Run(async () =>
        {
            using var http = new HttpClient();
            using var client = await Connect(http, new Uri(result.GetValue(rpc)!), 0);
            var status = (JsonObject)(await client.Request("governance_status"))!;
            Console.WriteLine($"home chain {Convert.ToUInt64(status["homeChainId"]!.GetValue<string>(), 16)}, members {string.Join(", ", status["members"]!.AsArray().Select(m => Convert.ToUInt64(m!.GetValue<string>(), 16)))}");
            foreach (var (name, address) in (JsonObject)status["contracts"]!) Console.WriteLine($"  {name,-18} {address}");
            if (status["session"] is JsonObject session)
            {
                static ulong Q(JsonNode? n) => Convert.ToUInt64(n!.GetValue<string>(), 16);
                static string T(ulong seconds) => DateTimeOffset.FromUnixTimeSeconds((long)seconds).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                var open = session["open"]!.GetValue<bool>();
                Console.WriteLine($"Agora session {Q(session["number"])}: {T(Q(session["start"]))} .. {T(Q(session["end"]))}; proposals " +
                    (open ? $"admitted until {T(Q(session["proposalsUntil"]))}" : $"closed, the next session opens {T(Q(session["end"]))}"));
            }
            var staked = UInt256.FromBigEndian(await client.Call(G.Staking, Abi.Call("totalSupply()"))).ToBigInteger() / BigInteger.Pow(10, 18);
            var strategists = UInt256.FromBigEndian(await client.Call(G.Staking, Abi.Call("strategists()")));
            Console.WriteLine($"staked Athena {staked}, strategists {strategists}");
            foreach (var decision in (await client.Request("governance_decisions"))!.AsArray())
                Console.WriteLine($"  decision {decision!.ToJsonString()}");
            return 0;
        }));
        return command;
    }
}
