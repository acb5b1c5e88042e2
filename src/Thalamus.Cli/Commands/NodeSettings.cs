using System.Globalization;
using System.Net;
using System.Numerics;
using Thalamus.Core;

namespace Thalamus.Cli.Commands;

/// <summary>The validated options of <c>thalamus node</c>.</summary>
public sealed class NodeSettings
{
    public ulong ChainId { get; init; } = 31337;
    public IPAddress Host { get; set; } = IPAddress.Loopback;
    public int Port { get; init; } = 8545;
    public string? DataDirectory { get; init; }
    public double? BlockTimeSeconds { get; init; }
    public bool Automine { get; init; }
    public bool Ephemeral { get; init; }
    public int AccountCount { get; init; } = 10;
    public UInt256 AccountBalanceWei { get; set; } = UInt256.FromBigInteger(BigInteger.Pow(10, 22));
    public string? Mnemonic { get; init; }
    public ulong GasLimit { get; init; } = 30_000_000;
    /// <summary>Most gas one eth_call, eth_estimateGas or eth_createAccessList may use; 0 = the block gas limit.</summary>
    public ulong RpcGasCap { get; init; } = Chain.ChainProfile.DefaultRpcGasCap;
    public bool Quiet { get; init; }
    /// <summary><c>--load-state</c>: a state dump a new genesis starts from.</summary>
    public string? LoadStatePath { get; init; }
    /// <summary><c>--dump-state</c>: where the chain's state (anvil's format) is written at a clean stop.</summary>
    public string? DumpStatePath { get; init; }

    public TimeSpan BlockTime => BlockTimeSeconds is { } s ? TimeSpan.FromSeconds(s) : TimeSpan.Zero;

    public string ResolvedDataDirectory => DataDirectory is { Length: > 0 } dir
        ? Path.GetFullPath(dir)
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".thalamus", "node");

    /// <summary>Checks the options and parses the host and the balance; returns the problem, or null.</summary>
    public string? Validate(string host, string balanceEth)
    {
        if (ChainId == 0) return "--chain-id must be positive";
        if (Port is < 0 or > 65535) return $"--port {Port} is not a TCP port";
        if (!IPAddress.TryParse(host, out var address)) return $"--host {host} is not an IP address";
        Host = address;
        if (BlockTimeSeconds is { } s && (double.IsNaN(s) || s <= 0 || s > 86_400)) return "--block-time must be between 0 and 86400 seconds (exclusive of 0)";
        if (BlockTimeSeconds is not null && Automine) return "--block-time and --automine exclude each other";
        if (AccountCount is < 0 or > 1000) return "--accounts must be between 0 and 1000";
        if (Ephemeral && DataDirectory is not null) return "--ephemeral keeps nothing on disk: drop --data-dir";
        if (GasLimit < Chain.IntrinsicGas.Transaction) return $"--gas-limit must be at least {Chain.IntrinsicGas.Transaction}";
        if (Chain.ChainProfile.RpcGasCapProblem(RpcGasCap) is { } problem) return $"--rpc-gas-cap {problem}";
        if (!decimal.TryParse(balanceEth, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var eth) || eth < 0)
            return $"--balance {balanceEth} is not a non-negative number of ETH";
        if (eth > 1_000_000_000_000_000_000m) return "--balance is too large";
        var wei = new BigInteger(decimal.Truncate(eth * 1_000_000_000m)) * BigInteger.Pow(10, 9);
        AccountBalanceWei = UInt256.FromBigInteger(wei);
        return null;
    }
}
