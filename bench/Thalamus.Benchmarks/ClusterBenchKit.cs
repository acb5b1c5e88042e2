using System.Text;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Benchmarks;

/// <summary>An in-memory node-cluster with the dev accounts, and what the cluster benchmarks need to pre-sign and deploy.</summary>
internal sealed class ClusterBenchKit : IAsyncDisposable
{
    public static readonly IReadOnlyList<DevAccount> Accounts = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 4);
    public const ulong FirstChainId = 901;

    private readonly Dictionary<(int Chain, int Account), ulong> _nonces = [];

    public ClusterBenchKit(int chains, TimeSpan blockTime)
    {
        Cluster = NodeCluster.Create(new ClusterOptions
        {
            Chains = Enumerable.Range(0, chains)
                .Select(i => new ClusterChainOptions { ChainId = FirstChainId + (ulong)i, BlockTime = blockTime })
                .ToList(),
            Accounts = Accounts,
            GenesisTimestamp = 1_700_000_000,
        });
    }

    public NodeCluster Cluster { get; }

    public IReadOnlyList<MemberChain> Chains => Cluster.Chains;

    /// <summary>"bytecode" (creation) or "deployedBytecode" (runtime) of contracts/artifacts/&lt;name&gt;.json, copied next to the binary.</summary>
    public static byte[] Artifact(string contract, string field = "bytecode")
    {
        var path = Path.Combine(AppContext.BaseDirectory, "artifacts", contract + ".json");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return Hex.Decode(json.RootElement.GetProperty(field).GetString()!);
    }

    /// <summary>
    /// A signed transaction from dev account <paramref name="account"/> with the next nonce this kit
    /// has handed out on that chain; the sender is recovered here so the timed region does not pay for it.
    /// </summary>
    public Transaction Sign(int chain, int account, Address? to, byte[] data, ulong gas = 500_000, UInt256? value = null)
    {
        var member = Chains[chain];
        if (!_nonces.TryGetValue((chain, account), out var nonce))
            nonce = member.GetTransactionCount(Accounts[account].Address, BlockSelector.Pending);
        _nonces[(chain, account)] = nonce + 1;
        var tx = TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = member.ChainId,
            Nonce = nonce,
            MaxFeePerGas = new UInt256(100_000_000_000),
            MaxPriorityFeePerGas = new UInt256(1_000_000_000),
            GasLimit = gas,
            To = to,
            Value = value ?? UInt256.Zero,
            Data = data,
        }, Accounts[account].PrivateKey);
        tx.RecoverSender();
        return tx;
    }

    /// <summary>Deploys from account 0 on an automining chain.</summary>
    public Address Deploy(int chain, byte[] creationCode)
    {
        var tx = Sign(chain, 0, null, creationCode, 6_000_000);
        var hash = Chains[chain].SendTransaction(tx);
        var receipt = Chains[chain].GetReceipt(hash) ?? throw new InvalidOperationException("the deployment was not mined");
        if (!receipt.Success) throw new InvalidOperationException("the deployment failed");
        return receipt.ContractAddress!.Value;
    }

    /// <summary>ClusterMessenger.sendMessage(dest, target, MessageReceiver.receiveMessage(text)).</summary>
    public static byte[] SendMessage(ulong destinationChainId, Address target, string text) =>
        Abi.Call("sendMessage(uint256,address,bytes)", destinationChainId, target,
            AbiValue.Bytes(Abi.Call("receiveMessage(string)", AbiValue.String(text))));

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
