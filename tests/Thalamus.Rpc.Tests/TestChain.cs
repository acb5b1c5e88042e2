using System.Numerics;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Rpc.Tests;

/// <summary>A real in-memory MemberChain with funded dev accounts, served by a dispatcher.</summary>
internal sealed class TestChain : IDisposable
{
    public const ulong Id = 31337;

    public static readonly IReadOnlyList<DevAccount> Accounts = DevAccounts.Derive(count: 3);

    public static readonly UInt256 Funding = UInt256.FromBigInteger(BigInteger.Pow(10, 22));

    public TestChain(RpcServerOptions? options = null)
    {
        var alloc = Accounts.ToDictionary(a => a.Address, _ => new GenesisAccount { Balance = Funding });
        Chain = new MemberChain(new ChainProfile { ChainId = Id }, new GenesisConfig { ChainId = Id, Alloc = alloc });
        Options = options ?? new RpcServerOptions();
        Options.Accounts = Accounts.Select(a => new UnlockedAccount(a.Address, a.PrivateKey)).ToArray();
        Dispatcher = new RpcDispatcher(new MemberChainBackend(Chain), Options);
    }

    public MemberChain Chain { get; }

    public RpcServerOptions Options { get; }

    public RpcDispatcher Dispatcher { get; }

    public static Address AddressOf(int account) => Accounts[account].Address;

    /// <summary>A signed EIP-1559 transaction as 0x-hex.</summary>
    public static string Sign(int account, Address? to, ulong nonce, byte[]? data = null, UInt256 value = default, ulong gas = 1_000_000)
    {
        var tx = new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = Id,
            Nonce = nonce,
            MaxPriorityFeePerGas = 1_000_000_000UL,
            MaxFeePerGas = 10_000_000_000UL,
            GasLimit = gas,
            To = to,
            Value = value,
            Data = data ?? [],
        };
        return Hex.Encode(TransactionSigner.Sign(tx, Accounts[account].PrivateKey).Encode());
    }

    /// <summary>Sends a signed transaction through eth_sendRawTransaction and returns its receipt (automine).</summary>
    public JsonElement Send(int account, Address? to, byte[]? data = null, UInt256 value = default)
    {
        var nonce = Chain.GetTransactionCount(AddressOf(account), BlockSelector.Pending);
        var hash = RpcTestClient.Result(Dispatcher, "eth_sendRawTransaction", $"[\"{Sign(account, to, nonce, data, value)}\"]").GetString();
        return RpcTestClient.Result(Dispatcher, "eth_getTransactionReceipt", $"[\"{hash}\"]");
    }

    /// <summary>Deploys runtime code and returns the contract address.</summary>
    public Address Deploy(byte[] runtime)
    {
        var receipt = Send(0, null, Bytecode.Deployer(runtime));
        return Address.Parse(receipt.GetProperty("contractAddress").GetString()!);
    }

    public void Dispose() => Dispatcher.Dispose();
}
