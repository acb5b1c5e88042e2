using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Thalamus.Cli.Configuration;

/// <summary>
/// Reads <c>cluster.yaml</c> strictly: an unknown or repeated key, a value of the wrong shape or out
/// of range, a repeated chain id or port is a <see cref="ClusterConfigException"/> whose one-line
/// message starts with <c>file:line:column:</c>. A typo must never silently fall back to a default.
/// </summary>
public static partial class ClusterConfigReader
{
    /// <summary>Every top-level key, in the order docs/cluster-config.md lists them.</summary>
    public static IReadOnlyList<string> TopLevelKeys { get; } =
    [
        "chains", "delta", "dataDir", "ephemeral", "host", "basePort", "accounts", "genesisTimestamp",
        "deliveryGasLimit", "deliveryGasBudget", "crossCallGasCap", "maxCrossCallDepth", "systemGasShares", "rpcGasCap", "dev", "api", "admin",
        "parent", "settlement", "rtc", "ddpn", "multicast", "governance",
    ];

    /// <summary>The <c>ddpn:</c> settings (docs/ddpn.md).</summary>
    public static IReadOnlyList<string> DdpnKeys { get; } = ["paymentToken", "chainShare", "chainPayees", "defaultChainPayee", "voteTimeoutSlots"];

    /// <summary>The <c>governance:</c> settings (docs/governance.md), <c>GovernanceOptions</c>' names in camelCase.</summary>
    public static IReadOnlyList<string> GovernanceKeys { get; } =
        ["enabled", "sessionSeconds", "sessionProposalSeconds", "votingDelaySeconds", "votingPeriodSeconds", "timelockDelaySeconds"];

    /// <summary>The <c>multicast:</c> settings (docs/multicast.md).</summary>
    public static IReadOnlyList<string> MulticastKeys { get; } = ["feeOwner"];

    public static IReadOnlyList<string> RtcKeys { get; } = ["external", "failoverAfter", "pollInterval"];

    public static IReadOnlyList<string> RtcExternalKeys { get; } = ["chainId", "rpc", "gateway", "relayers"];

    public static IReadOnlyList<string> RtcRelayerKeys { get; } = ["name", "key", "feeWei", "latency"];

    public static IReadOnlyList<string> AdminKeys { get; } = ["host", "port", "jwtSecret"];

    public static IReadOnlyList<string> ParentKeys { get; } = ["rpc", "chainId", "port", "blockTime"];

    public static IReadOnlyList<string> SettlementKeys { get; } = ["slotsPerBatch", "challengeWindow", "arbitrationTimeout", "faultSlot", "contract"];

    public static IReadOnlyList<string> ChainKeys { get; } = ["chainId", "name", "blockTime", "gasLimit", "maxTransactionBytes", "port", "fork"];

    public static IReadOnlyList<string> AccountKeys { get; } = ["mnemonic", "count", "balanceEth"];

    /// <summary>Reads and checks the file at <paramref name="path"/>.</summary>
    public static ClusterConfigFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message;
            throw new ClusterConfigException($"{path}: cannot read the cluster configuration: {reason}");
        }
        var fullPath = Path.GetFullPath(path);
        return Parse(text, path, Path.GetDirectoryName(fullPath) ?? Directory.GetCurrentDirectory(), fullPath);
    }

    /// <summary>
    /// Parses YAML <paramref name="text"/>; <paramref name="sourceName"/> prefixes every message and a
    /// relative <c>dataDir</c> is taken from <paramref name="baseDirectory"/>.
    /// </summary>
    public static ClusterConfigFile Parse(string text, string sourceName = "cluster.yaml", string? baseDirectory = null, string? sourcePath = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(text));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            throw new ClusterConfigException($"{sourceName}:{e.Start.Line}:{e.Start.Column}: invalid YAML: {YamlReason(e)}");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet fails this way on some malformed input (an unclosed '{' for one); the scanner still knows where.
            var at = scanner.CurrentPosition;
            throw new ClusterConfigException($"{sourceName}:{at.Line}:{at.Column}: invalid YAML: cannot parse here (is a '{{', '[' or quote left open?)");
        }
        if (stream.Documents.Count == 0)
            throw new ClusterConfigException($"{sourceName}: the file is empty; it needs at least a 'chains:' list (see docs/cluster-config.md)");
        if (stream.Documents.Count > 1)
            throw new ClusterConfigException($"{sourceName}:{stream.Documents[1].RootNode.Start.Line}:1: only one YAML document is allowed");
        var reader = new Reader(sourceName, baseDirectory ?? Directory.GetCurrentDirectory());
        return reader.ReadRoot(stream.Documents[0].RootNode, sourcePath);
    }

    /// <summary>YamlDotNet prefixes its messages with both marks; the caller already gives line and column.</summary>
    private static string YamlReason(YamlException e)
    {
        var message = MarkPrefix().Replace(e.Message, "").Trim();
        if (e.InnerException is { } inner && message.Length == 0) message = inner.Message;
        return message.Replace('\n', ' ').Replace('\r', ' ');
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex MarkPrefix();
}
