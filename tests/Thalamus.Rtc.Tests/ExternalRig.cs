using System.Globalization;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Integration.Tests;
using Thalamus.Storage;

namespace Thalamus.Rtc.Tests;

/// <summary>A one-chain cluster (901) with two relayers of an anvil (31337) on which the gateway and a vault are deployed.</summary>
internal sealed class ExternalRig : IAsyncDisposable
{
    private readonly AnvilProcess _anvil;

    private ExternalRig(AnvilProcess anvil, ClusterJsonRpc rpc, Address gateway, Address vault, byte[][] keys, RtcCluster rtc)
    {
        _anvil = anvil;
        Anvil = rpc;
        AnvilGateway = gateway;
        Vault = vault;
        Keys = keys;
        Rtc = rtc;
    }

    public const ulong A = 901;
    public const ulong External = 31337;
    public const ulong Wei = 777;

    public static Address User => RtcCluster.Accounts[1].Address;

    public ClusterJsonRpc Anvil { get; }
    public Address AnvilGateway { get; }
    public Address Vault { get; }
    public byte[][] Keys { get; }
    public RtcCluster Rtc { get; private set; }
    public MemberChain Origin => Rtc[0];

    public ExternalRelayer Relayer(int rank) => Rtc.Module.Relayers[rank];

    /// <summary>Stops the cluster and starts it again on the database <paramref name="reopen"/> gives once it is stopped (the same anvil, relayers and genesis).</summary>
    public async Task RestartAsync(Func<ClusterDatabase> reopen)
    {
        var (options, genesis) = (Rtc.Module.Options, Rtc.Options.GenesisTimestamp);
        await Rtc.DisposeAsync();
        Rtc = new RtcCluster(chains: 1, reopen(), options: options, genesisTimestamp: genesis);
    }

    /// <param name="anvilArguments">More of anvil's flags (e.g. <c>--timestamp</c>).</param>
    public static async Task<ExternalRig> StartAsync(bool startRelayers, (ulong Fee, ulong LatencyMs)[]? quotes = null, ClusterDatabase? database = null,
        string[]? anvilArguments = null)
    {
        var anvil = await AnvilProcess.StartAsync(anvilArguments ?? []);
        var rpc = new ClusterJsonRpc(anvil.Url);
        byte[][] keys = [Keccak256.Compute("thalamus.test.relayer.a"u8).Bytes.ToArray(), Keccak256.Compute("thalamus.test.relayer.b"u8).Bytes.ToArray()];
        var deployer = (await rpc.CallAsync("eth_accounts"))[0].GetString()!;
        foreach (var key in keys)
            await rpc.CallAsync("anvil_setBalance", Secp256k1.PrivateKeyToAddress(key).ToString(), "0x56bc75e2d63100000");
        var relayers = AbiValue.Array(keys.Select(k => (AbiValue)Secp256k1.PrivateKeyToAddress(k)).ToArray());
        var gateway = await DeployAsync(rpc, deployer, [.. RtcCluster.CreationCode("Thalamus"), .. Abi.Encode(relayers)]);
        var vault = await DeployAsync(rpc, deployer, RtcCluster.CreationCode("RtcVault"));
        // The anvil gateway's custody pays the native value RTCs carry there (lock/release).
        await rpc.CallAsync("anvil_setBalance", gateway.ToString(), "0x3b9aca00");

        var options = new RtcOptions
        {
            External =
            [
                new ExternalChainOptions
                {
                    ChainId = External,
                    Rpc = anvil.Url,
                    Gateway = gateway,
                    Relayers =
                    [
                        new RelayerOptions { Name = "a", PrivateKey = keys[0], FeeWei = new UInt256(quotes?[0].Fee ?? 0), LatencyMs = quotes?[0].LatencyMs ?? 0 },
                        new RelayerOptions { Name = "b", PrivateKey = keys[1], FeeWei = new UInt256(quotes?[1].Fee ?? 0), LatencyMs = quotes?[1].LatencyMs ?? 0 },
                    ],
                },
            ],
            FailoverAfter = TimeSpan.FromSeconds(1),
            PollInterval = TimeSpan.FromMilliseconds(100),
            StartRelayers = startRelayers,
        };
        var rtc = new RtcCluster(chains: 1, database, options: options);
        rtc.Send(rtc[0], 3, RtcCluster.Accounts[3].Address, []); // the head's timestamp follows the clock from here
        return new ExternalRig(anvil, rpc, gateway, vault, keys, rtc);
    }

    /// <summary>An async RTC from 901: RtcVault.deposit(user, amount) on anvil carrying 777 wei (sendRtcVia when a preference is given).</summary>
    /// <paramref name="fee"/>: the provider's fee the sender pays on top of the value (its quote).
    public (Hash256 Id, TransactionReceipt Receipt) SendDeposit(ulong deadlineSeconds, ulong amount, string? preference = null, ulong fee = 0)
    {
        var call = RtcCluster.NativeCall(External, Vault, Abi.Call("deposit(address,uint256)", User, amount), Wei);
        var deadline = Origin.Head.Timestamp + deadlineSeconds;
        var data = preference is null ? RtcCluster.Rtc(atomic: false, deadline, call) : Via(false, deadline, preference, call);
        var value = new UInt256(Wei + fee);
        var receipt = Rtc.Send(Origin, 1, RtcPredeploys.Gateway, data, value: value);
        if (!receipt.Success)
        {
            var probe = Origin.Call(new CallRequest { To = RtcPredeploys.Gateway, Data = data, From = User, Value = value, Gas = 3_000_000 }, BlockSelector.Latest);
            Assert.Fail($"sendRtc to the external chain failed: {Abi.DecodeRevertReason(probe.ReturnData) ?? Hex.Encode(probe.ReturnData)} ({probe.Error})");
        }
        return (RtcCluster.RtcIdOf(receipt), receipt);
    }

    /// <summary>
    /// Sends sendRtc(rtc) on anvil from its unlocked account <paramref name="account"/> with <paramref name="value"/>:
    /// an RTC from the external chain into the cluster. Returns its id and what the sender paid in gas.
    /// </summary>
    public async Task<(Hash256 Id, UInt256 GasCost)> SendRtcOnAnvilAsync(Address account, byte[] data, UInt256 value)
    {
        var hash = (await Anvil.CallAsync("eth_sendTransaction", new { from = account.ToString(), to = AnvilGateway.ToString(), data = Hex.Encode(data), value = Quantity(value), gas = "0x7a1200" })).GetString();
        var receipt = await AnvilProcess.MinedReceipt(Anvil, hash);
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        var sent = receipt.GetProperty("logs").EnumerateArray()
            .Single(l => Hash256.Parse(l.GetProperty("topics")[0].GetString()!) == RtcLogs.RtcSent);
        var gas = UInt256.Parse(receipt.GetProperty("gasUsed").GetString()!) * UInt256.Parse(receipt.GetProperty("effectiveGasPrice").GetString()!);
        return (Hash256.Parse(sent.GetProperty("topics")[1].GetString()!), gas);
    }

    /// <summary>The timestamp of anvil's latest block.</summary>
    public async Task<ulong> AnvilTimestampAsync()
    {
        var block = await Anvil.CallAsync("eth_getBlockByNumber", "latest", false);
        return (ulong)UInt256.Parse(block.GetProperty("timestamp").GetString()!);
    }

    /// <summary>An anvil account (unlocked) as an address.</summary>
    public async Task<Address> AnvilAccountAsync(int index) => Address.Parse((await Anvil.CallAsync("eth_accounts"))[index].GetString()!);

    public async Task<UInt256> AnvilBalanceAsync(Address account) =>
        UInt256.Parse((await Anvil.CallAsync("eth_getBalance", account.ToString(), "latest")).GetString()!);

    /// <summary>The status of RTC id on the anvil gateway (rtcOf(id).status: 1 PENDING, 2 ACK, 3 NACK, 4 EXPIRED).</summary>
    public async Task<int> AnvilStatusAsync(Hash256 id)
    {
        var result = await Anvil.CallAsync("eth_call", new { to = AnvilGateway.ToString(), data = Hex.Encode(Abi.Call("rtcOf(bytes32)", id)) }, "latest");
        return (int)(ulong)new AbiReader(Hex.Decode(result.GetString()!)).Word(1);
    }

    public async Task WaitForAnvilStatusAsync(Hash256 id, int status)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (await AnvilStatusAsync(id) == status) return;
            await Task.Delay(100);
        }
        var errors = string.Join("; ", Rtc.Module.Relayers.Select(r => $"{r.Name}: {r.LastError}"));
        throw new Xunit.Sdk.XunitException($"RTC {id} is {await AnvilStatusAsync(id)} on anvil, not {status} (relayers: {errors})");
    }

    /// <summary>The gas cost of a transaction on the cluster's chain (what its sender paid besides value).</summary>
    public UInt256 GasCost(Hash256 transaction)
    {
        var receipt = Origin.GetReceipt(transaction)!;
        return new UInt256(receipt.GasUsed) * receipt.EffectiveGasPrice;
    }

    private static string Quantity(UInt256 value) => value.ToHexString();

    /// <summary>The call data of sendRtcVia(rtc, preference).</summary>
    public static byte[] Via(bool atomic, ulong deadline, string preference, params AbiValue[] calls) =>
        Abi.Call(RtcCluster.SendRtc.Replace("sendRtc(", "sendRtcVia(", StringComparison.Ordinal)[..^1] + ",bytes32)",
            AbiValue.Tuple(AbiValue.Array(calls), AbiValue.Array(), atomic, deadline), Name(preference));

    public async Task<RtcRecord> WaitForStatusAsync(Hash256 id, RtcStatus status)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (Rtc.Module.GetRtc(id) is { } record && record.Status == status) return record;
            await Task.Delay(100);
        }
        var errors = string.Join("; ", Rtc.Module.Relayers.Select(r => $"{r.Name}: {r.LastError}"));
        throw new Xunit.Sdk.XunitException($"RTC {id} is {Rtc.Module.GetRtc(id)?.Status}, not {status} (relayers: {errors})");
    }

    public async Task<UInt256> AnvilWordAsync(Address to, string signature, params AbiValue[] args)
    {
        var result = await Anvil.CallAsync("eth_call", new { to = to.ToString(), data = Hex.Encode(Abi.Call(signature, args)) }, "latest");
        return new AbiReader(Hex.Decode(result.GetString()!)).Word(0);
    }

    public async Task<List<JsonElement>> AnvilLogsAsync(Hash256 topic)
    {
        var logs = await Anvil.CallAsync("eth_getLogs", new { address = AnvilGateway.ToString(), topics = new[] { topic.ToString() }, fromBlock = "0x0", toBlock = "latest" });
        return [.. logs.EnumerateArray()];
    }

    public async Task<bool> SendOnAnvilAsync(byte[] key, Address to, byte[] data)
    {
        var from = Secp256k1.PrivateKeyToAddress(key);
        var nonce = (await Anvil.CallAsync("eth_getTransactionCount", from.ToString(), "pending")).GetString()!;
        var tx = TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = External,
            Nonce = ulong.Parse(nonce.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            MaxPriorityFeePerGas = UInt256.One,
            MaxFeePerGas = new UInt256(100_000_000_000),
            GasLimit = 8_000_000,
            To = to,
            Data = data,
        }, key);
        var hash = (await Anvil.CallAsync("eth_sendRawTransaction", Hex.Encode(tx.Encode()))).GetString();
        var receipt = await AnvilProcess.MinedReceipt(Anvil, hash);
        return receipt.GetProperty("status").GetString() == "0x1";
    }

    /// <summary>The error text anvil gives for an eth_call of data from the key's address.</summary>
    public async Task<string> AnvilCallFailureAsync(byte[] key, Address to, byte[] data)
    {
        var from = Secp256k1.PrivateKeyToAddress(key);
        var failure = await Assert.ThrowsAsync<ClusterRpcException>(() =>
            Anvil.CallAsync("eth_call", new { from = from.ToString(), to = to.ToString(), data = Hex.Encode(data), gas = "0x7a1200" }, "latest"));
        return failure.Message;
    }

    private static async Task<Address> DeployAsync(ClusterJsonRpc rpc, string from, byte[] code)
    {
        var hash = (await rpc.CallAsync("eth_sendTransaction", new { from, data = Hex.Encode(code), gas = "0x1c9c380" })).GetString();
        var receipt = await AnvilProcess.MinedReceipt(rpc, hash);
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        return Address.Parse(receipt.GetProperty("contractAddress").GetString()!);
    }

    /// <summary>A provider name as the bytes32 the gateway uses.</summary>
    public static Hash256 Name(string text)
    {
        var bytes = new byte[32];
        System.Text.Encoding.UTF8.GetBytes(text).CopyTo(bytes, 0);
        return new Hash256(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        await Rtc.DisposeAsync();
        Anvil.Dispose();
        await _anvil.DisposeAsync();
    }
}
