using System.Text.Json;
using Thalamus.Core;

namespace Thalamus.Rtc.Tests;

/// <summary>
/// EIP-170 (runtime code at most 24,576 bytes) and EIP-3860 (creation code at most 49,152 bytes): what a real
/// chain outside the cluster accepts, so the gateway deploys there as on any Ethereum chain.
/// </summary>
public sealed class ContractSizeTests
{
    private const int MaxRuntimeCode = 24_576;
    private const int MaxCreationCode = 49_152;

    [Fact]
    public void Every_rtc_predeploy_fits_in_the_EIP_170_limit()
    {
        var codes = RtcPredeploys.RuntimeCodes.ToList();
        Assert.Equal(["Thalamus", "ThalamusExternal", "ThalamusExecutor", "ThalamusAddressBook"], codes.Select(c => c.Key));
        foreach (var (name, code) in codes)
        {
            Assert.NotEmpty(code);
            Assert.True(code.Length <= MaxRuntimeCode, $"{name}'s runtime code is {code.Length} bytes, over EIP-170's {MaxRuntimeCode}");
        }
    }

    [Fact]
    public void Every_deployable_contract_artifact_fits_in_the_EIP_170_and_EIP_3860_limits()
    {
        var artifacts = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "artifacts"), "*.json");
        var deployable = 0;
        var over = new List<string>();
        foreach (var file in artifacts)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            var runtime = Hex.Decode(json.RootElement.GetProperty("deployedBytecode").GetString()!);
            var creation = Hex.Decode(json.RootElement.GetProperty("bytecode").GetString()!);
            if (creation.Length == 0) continue; // an interface or an abstract contract
            deployable++;
            if (runtime.Length > MaxRuntimeCode) over.Add($"{Path.GetFileName(file)}: runtime code {runtime.Length} bytes");
            if (creation.Length > MaxCreationCode) over.Add($"{Path.GetFileName(file)}: creation code {creation.Length} bytes");
        }
        Assert.Contains(artifacts, f => Path.GetFileName(f) == "Thalamus.json");
        Assert.True(deployable > 10, $"only {deployable} deployable artifacts were found");
        Assert.Empty(over);
    }
}
