using System.Text;
using System.Text.Json;
using Thalamus.Rpc;
using Xunit;

namespace Thalamus.Modules.Tests;

/// <summary>The RPC half of the seam: what a module registers is what an endpoint can find, and nothing else.</summary>
public sealed class RpcMethodRegistryTests
{
    private static void Echo(ref ParamReader p, Utf8JsonWriter w)
    {
        var value = p.ReadQuantity("value");
        p.End();
        w.WriteNumberValue(value);
    }

    private static void Nothing(ref ParamReader p, Utf8JsonWriter w) => w.WriteNullValue();

    [Fact]
    public void A_registered_method_is_found_by_its_full_name_and_runs_with_its_parameters()
    {
        var registry = new RpcMethodRegistry();
        registry.Add("heartbeat_echo", Echo);

        var method = Assert.IsType<RpcMethod>(registry.Find("heartbeat_echo"));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var reader = new ParamReader("[\"0x2a\"]"u8);
            method(ref reader, writer);
        }
        Assert.Equal("42", Encoding.UTF8.GetString(buffer.ToArray()));
        Assert.Null(registry.Find("heartbeat_echoes"));
        Assert.Null(registry.Find("heartbeat"));
    }

    [Fact]
    public void Namespaces_are_listed_once_each_in_registration_order()
    {
        var registry = new RpcMethodRegistry();
        registry.Add("cluster_status", Nothing);
        registry.Add("multicast_channels", Nothing);
        registry.Add("cluster_chains", Nothing);

        Assert.Equal(["cluster", "multicast"], registry.Namespaces);
        Assert.Equal(["cluster_status", "multicast_channels", "cluster_chains"], registry.Methods);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("_status")]
    [InlineData("cluster_")]
    public void A_name_that_is_not_namespace_underscore_method_is_refused_with_the_reason(string name)
    {
        var registry = new RpcMethodRegistry();
        var refused = Assert.Throws<ArgumentException>(() => registry.Add(name, Nothing));
        Assert.Contains($"method \"{name}\" is not namespace_method", refused.Message);
        Assert.Empty(registry.Methods);
    }

    [Fact]
    public void A_method_registered_twice_is_refused_and_the_first_one_stays()
    {
        var registry = new RpcMethodRegistry();
        registry.Add("cluster_status", Nothing);
        var refused = Assert.Throws<ArgumentException>(() => registry.Add("cluster_status", Echo));
        Assert.Contains("method \"cluster_status\" is registered twice", refused.Message);
        Assert.Single(registry.Methods);
        Assert.Equal((RpcMethod)Nothing, registry.Find("cluster_status"));
    }
}
