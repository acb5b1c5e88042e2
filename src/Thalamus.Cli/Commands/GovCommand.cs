using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Thalamus.Core;
using Thalamus.Crypto;
using G = Thalamus.Governance.GovernanceContracts;

namespace Thalamus.Cli.Commands;

/// <summary>
/// <c>thalamus gov stake|propose|vote|execute|status</c>: the Agora from the command line, against a running
/// devnet's home chain (docs/governance.md), signing with a dev account. A decision is one call to
/// ClusterDecisions or the grant fund; <c>execute</c> takes the same decision options as <c>propose</c>
/// (queues it once the vote passed, executes it once the timelock delay is over).
/// </summary>
public static class GovCommand
{
    private static readonly string[] States = ["pending", "active", "canceled", "defeated", "succeeded", "queued", "expired", "executed"];

    public static Command Create()
    {
        var command = new Command("gov", "Governance: stake Athena, propose and vote in the Agora, carry out decisions, show status.");
        command.Subcommands.Add(Stake());
        command.Subcommands.Add(Propose(execute: false));
        command.Subcommands.Add(Propose(execute: true));
        command.Subcommands.Add(Vote());
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

    /// <summary>The decision options: exactly one of admit, remove, grant, score.</summary>
    private sealed record DecisionOptions(Option<ulong?> Admit, Option<ulong> BlockTimeMs, Option<string?> Name, Option<ulong?> Remove,
        Option<string?> Grant, Option<string> Amount, Option<ulong?> Score, Option<string> Key, Option<ulong> Value, Option<string?> Description)
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
            new Option<ulong>("--value") { Description = "the profile score's value" },
            new Option<string?>("--description") { Description = "the proposal's description (it identifies the proposal; default: made from the decision)" });

        public IEnumerable<Option> All => [Admit, BlockTimeMs, Name, Remove, Grant, Amount, Score, Key, Value, Description];

        public (Address Target, byte[] Call, string Description) Read(ParseResult result)
        {
            var chosen = new object?[] { result.GetValue(Admit), result.GetValue(Remove), result.GetValue(Grant), result.GetValue(Score) }.Count(v => v is not null);
            if (chosen != 1) throw new ArgumentException("give exactly one decision: --admit, --remove, --grant or --score");
            (Address, byte[], string) decision;
            if (result.GetValue(Admit) is { } admit)
                decision = (G.Decisions, Abi.Call("admitChain(uint64,uint64,uint64,string)", admit, result.GetValue(BlockTimeMs), 30_000_000UL,
                    AbiValue.String(result.GetValue(Name) ?? $"thalamus-{admit}")), $"admit chain {admit}");
            else if (result.GetValue(Remove) is { } remove)
                decision = (G.Decisions, Abi.Call("removeChain(uint64)", remove), $"remove chain {remove}");
            else if (result.GetValue(Grant) is { } grant)
            {
                var amount = UInt256.FromBigInteger(BigInteger.Parse(result.GetValue(Amount)!, CultureInfo.InvariantCulture));
                decision = (G.GrantFund, Abi.Call("grant(address,uint256,string)", Address.Parse(grant), amount, AbiValue.String("grant")), $"grant {amount} to {grant}");
            }
            else
            {
                var chain = result.GetValue(Score)!.Value;
                var key = Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes(result.GetValue(Key)!));
                decision = (G.Decisions, Abi.Call("setProfileScore(uint64,bytes32,uint256)", chain, key, result.GetValue(Value)),
                    $"score {result.GetValue(Key)} of chain {chain} = {result.GetValue(Value)}");
            }
            return (decision.Item1, decision.Item2, result.GetValue(Description) ?? decision.Item3);
        }
    }

    private static AbiValue[] Parts(Address target, byte[] call) =>
        [AbiValue.Array((AbiValue)target), AbiValue.Array((AbiValue)UInt256.Zero), AbiValue.Array(AbiValue.Bytes(call))];

    private static Command Propose(bool execute)
    {
        var rpc = RpcOption();
        var account = AccountOption();
        var decision = DecisionOptions.Create();
        var command = execute
            ? new Command("execute", "Queue a passed proposal, or execute a queued one whose timelock delay is over (same decision options as propose).")
            : new Command("propose", "Propose a decision to the Agora (needs 10% of the staked Athena).");
        command.Options.Add(rpc);
        command.Options.Add(account);
        foreach (var option in decision.All) command.Options.Add(option);
        command.SetAction(result => Run(async () =>
        {
            var (target, call, description) = decision.Read(result);
            using var http = new HttpClient();
            using var client = await Connect(http, new Uri(result.GetValue(rpc)!), result.GetValue(account));
            var descriptionHash = Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes(description));
            var id = UInt256.FromBigEndian(await client.Call(G.Governor, Abi.Call("hashProposal(address[],uint256[],bytes[],bytes32)", [.. Parts(target, call), descriptionHash])));
            if (!execute)
            {
                await client.Send(G.Governor, Abi.Call("propose(address[],uint256[],bytes[],string)", [.. Parts(target, call), AbiValue.String(description)]), 1_000_000);
                Console.WriteLine($"proposal {id} (\"{description}\")");
                return 0;
            }
            var state = await State(client, id);
            var step = state switch { 4 => "queue", 5 => "execute", _ => null };
            if (step is null) throw new InvalidOperationException($"proposal {id} is {States[state]}: only a succeeded proposal can be queued and a queued one executed");
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
