using Thalamus.Chain;
using Thalamus.Core;
using Xunit;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Rpc.Tests;

/// <summary>
/// Who may call what: a production endpoint serves only the namespaces it enables (like geth's
/// --http.api), no dev method and no unlocked account; operator methods only where the policy
/// serves them (the admin endpoint, or any endpoint of a dev node); devnet stays open.
/// </summary>
public sealed class AccessPolicyTests : IDisposable
{
    private readonly TestChain _chain = new(new RpcServerOptions { Access = RpcAccessPolicy.ForPublicEndpoint(null, dev: false) });
    private readonly FakeClusterMethods _cluster = new();
    private readonly RpcDispatcher _production;
    private readonly RpcDispatcher _admin;
    private readonly RpcDispatcher _dev;

    public AccessPolicyTests()
    {
        _chain.Options.Accounts = []; // what the host gives a production endpoint
        _production = new RpcDispatcher(new FakeBackend(), new RpcServerOptions { Methods = _cluster.Registry, Access = RpcAccessPolicy.ForPublicEndpoint(null, dev: false) });
        _admin = new RpcDispatcher(new FakeBackend(), new RpcServerOptions { Methods = _cluster.Registry, Access = RpcAccessPolicy.ForAdminEndpoint() });
        _dev = new RpcDispatcher(new FakeBackend(), new RpcServerOptions { Methods = _cluster.Registry, Access = RpcAccessPolicy.ForPublicEndpoint(null, dev: true) });
    }

    private static (int Code, string Message) Refusal(RpcDispatcher dispatcher, string method, string parameters = "[]")
    {
        var (code, message, _) = Error(dispatcher, method, parameters);
        return (code, message);
    }

    public void Dispose()
    {
        _chain.Dispose();
        _production.Dispose();
        _admin.Dispose();
        _dev.Dispose();
    }

    [Theory]
    [InlineData("anvil_setBalance", "[\"0x0000000000000000000000000000000000000001\",\"0x1\"]")]
    [InlineData("hardhat_setBalance", "[\"0x0000000000000000000000000000000000000001\",\"0x1\"]")]
    [InlineData("anvil_setCode", "[\"0x0000000000000000000000000000000000000001\",\"0x00\"]")]
    [InlineData("evm_mine", "[]")]
    [InlineData("evm_snapshot", "[]")]
    [InlineData("personal_sign", "[\"0x00\",\"0x0000000000000000000000000000000000000001\"]")]
    public void A_dev_method_on_a_production_endpoint_does_not_exist_in_geths_words(string method, string parameters)
    {
        var (code, message, _) = Error(_chain.Dispatcher, method, parameters);
        Assert.Equal(RpcErrorCodes.MethodNotFound, code);
        Assert.Equal($"the method {method} does not exist/is not available", message);
    }

    [Fact]
    public void Anvil_setBalance_refused_on_a_production_endpoint_leaves_the_balance_unchanged()
    {
        var target = TestChain.AddressOf(1);
        Error(_chain.Dispatcher, "anvil_setBalance", $"[\"{target}\",\"0x1\"]");
        Assert.Equal(TestChain.Funding, _chain.Chain.GetBalance(target, BlockSelector.Latest));
        Assert.Equal(0UL, _chain.Chain.Head.Number); // evm_mine neither
        Error(_chain.Dispatcher, "evm_mine");
        Assert.Equal(0UL, _chain.Chain.Head.Number);
    }

    [Fact]
    public void A_production_endpoint_lists_no_accounts_and_refuses_to_sign_for_a_dev_address()
    {
        Assert.Equal(0, Result(_chain.Dispatcher, "eth_accounts").GetArrayLength());

        var from = TestChain.AddressOf(0);
        var (code, message, _) = Error(_chain.Dispatcher, "eth_sendTransaction", $"[{{\"from\":\"{from}\",\"to\":\"{TestChain.AddressOf(1)}\",\"value\":\"0x1\"}}]");
        Assert.Equal(RpcErrorCodes.ServerError, code);
        Assert.Contains($"unknown account {from.ToChecksumString()}", message);
        Assert.Contains("unlocks no accounts", message);
        Assert.Contains("eth_sendRawTransaction", message);
        Assert.Equal(0UL, _chain.Chain.GetTransactionCount(from, BlockSelector.Pending));

        (code, message, _) = Error(_chain.Dispatcher, "eth_sign", $"[\"{from}\",\"0xdeadbeef\"]");
        Assert.Equal(RpcErrorCodes.ServerError, code);
        Assert.Contains("unlocks no accounts", message);

        // eth_signTransaction and eth_signTypedData_v4 are refused the same way.
        (code, message, _) = Error(_chain.Dispatcher, "eth_signTransaction", $"[{{\"from\":\"{from}\",\"to\":\"{TestChain.AddressOf(1)}\"}}]");
        Assert.Equal(RpcErrorCodes.ServerError, code);
        Assert.Contains("unlocks no accounts", message);
        (code, message, _) = Error(_chain.Dispatcher, "eth_signTypedData_v4",
            $"[\"{from}\",{{\"types\":{{\"EIP712Domain\":[]}},\"primaryType\":\"EIP712Domain\",\"domain\":{{}}}}]");
        Assert.Equal(RpcErrorCodes.ServerError, code);
        Assert.Contains("unlocks no accounts", message);
    }

    [Fact]
    public void A_production_endpoint_serves_the_ethereum_methods_and_signed_transactions()
    {
        Assert.Equal(new UInt256(TestChain.Id).ToHexString(), Result(_chain.Dispatcher, "eth_chainId").GetString());
        Assert.Equal(TestChain.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Result(_chain.Dispatcher, "net_version").GetString());
        Assert.False(string.IsNullOrEmpty(Result(_chain.Dispatcher, "web3_clientVersion").GetString()));
        var receipt = _chain.Send(0, TestChain.AddressOf(1), value: new UInt256(5));
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("cluster_haltChain")]
    [InlineData("cluster_resumeChain")]
    public void An_operator_method_on_a_production_public_endpoint_is_refused_and_names_the_admin_endpoint(string method)
    {
        var (code, message, _) = Error(_production, method, "[\"0x385\"]");
        Assert.Equal(RpcErrorCodes.MethodNotFound, code);
        Assert.Contains($"the method {method} is not available on this endpoint", message);
        Assert.Contains("operator method", message);
        Assert.Contains("admin endpoint with a JWT", message);
        Assert.Empty(_cluster.ChainCalls); // the cluster was never asked
    }

    [Fact]
    public void Cluster_time_travel_is_a_dev_method_refused_on_production_and_admin_endpoints_in_geths_words_and_served_by_a_dev_node()
    {
        foreach (var endpoint in new[] { _production, _admin })
            Assert.Equal((RpcErrorCodes.MethodNotFound, "the method cluster_increaseTime does not exist/is not available"),
                Refusal(endpoint, "cluster_increaseTime", "[\"0x3c\"]"));
        Assert.Empty(_cluster.ChainCalls); // the cluster was never asked
        Result(_dev, "cluster_increaseTime", "[\"0x3c\"]");
        Assert.Equal([("cluster_increaseTime", 60UL)], _cluster.ChainCalls);
    }

    [Fact]
    public void The_cluster_reads_stay_public_on_a_production_endpoint()
    {
        Assert.Equal(2, Result(_production, "cluster_status").GetProperty("chains").GetArrayLength());
        Assert.Equal(0, Result(_production, "cluster_getMessages").GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public void The_admin_endpoint_serves_operator_methods_and_the_cluster_but_no_chain_methods()
    {
        Result(_admin, "cluster_haltChain", "[\"0x385\"]");
        Result(_admin, "cluster_resumeChain", "[\"0x385\"]");
        Assert.Equal([("cluster_haltChain", 901UL), ("cluster_resumeChain", 901UL)], _cluster.ChainCalls);
        Result(_admin, "cluster_status");

        foreach (var method in new[] { "eth_chainId", "eth_sendRawTransaction", "anvil_setBalance", "net_version" })
            Assert.Equal((RpcErrorCodes.MethodNotFound, $"the method {method} does not exist/is not available"), Refusal(_admin, method));
    }

    [Fact]
    public void A_dev_node_serves_dev_and_operator_methods_on_its_public_endpoints_as_anvil()
    {
        Result(_dev, "cluster_haltChain", "[\"0x386\"]");
        Assert.Equal([("cluster_haltChain", 902UL)], _cluster.ChainCalls);
        Assert.True(Result(_dev, "anvil_getAutomine").GetBoolean());
    }

    [Fact]
    public void The_open_policy_of_devnet_and_tests_serves_everything_as_before()
    {
        var open = new RpcServerOptions().Access;
        Assert.Same(RpcAccessPolicy.Open, open);
        Assert.True(open.IsDev);
        Assert.True(open.ServesOperatorMethods);
        Result(_chain.Dispatcher, "eth_chainId");
        using var dev = new TestChain();
        var target = TestChain.AddressOf(2);
        Result(dev.Dispatcher, "anvil_setBalance", $"[\"{target}\",\"0x2a\"]");
        Assert.Equal(new UInt256(42), dev.Chain.GetBalance(target, BlockSelector.Latest));
    }

    [Fact]
    public void An_endpoint_serves_only_the_namespaces_its_configuration_names()
    {
        using var dispatcher = new RpcDispatcher(new FakeBackend(), new RpcServerOptions { Methods = _cluster.Registry, Access = RpcAccessPolicy.ForPublicEndpoint(["eth"], dev: false) });
        Result(dispatcher, "eth_chainId");
        Assert.Equal((RpcErrorCodes.MethodNotFound, "the method net_version does not exist/is not available"), Refusal(dispatcher, "net_version"));
        Assert.Equal((RpcErrorCodes.MethodNotFound, "the method cluster_status does not exist/is not available"), Refusal(dispatcher, "cluster_status"));
        // rpc_modules is served everywhere (as geth does) and lists what is served.
        var modules = Result(dispatcher, "rpc_modules");
        Assert.Equal(["eth", "rpc"], modules.EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Fact]
    public void Rpc_modules_lists_exactly_what_a_production_endpoint_serves()
    {
        var modules = Result(_production, "rpc_modules").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["eth", "net", "web3", "rpc", "cluster"], modules);
        var dev = Result(_dev, "rpc_modules").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("anvil", dev);
        Assert.Contains("evm", dev);
        Assert.Contains("hardhat", dev);
    }

    [Fact]
    public void An_unknown_namespace_answers_method_not_found_before_dispatch()
    {
        Assert.Equal((RpcErrorCodes.MethodNotFound, "the method foo_bar does not exist/is not available"), Refusal(_production, "foo_bar"));
        Assert.Equal((RpcErrorCodes.MethodNotFound, "the method nounderscore does not exist/is not available"), Refusal(_production, "nounderscore"));
        Assert.Equal((RpcErrorCodes.MethodNotFound, "the method _eth does not exist/is not available"), Refusal(_production, "_eth"));
    }

    [Theory]
    [InlineData("anvil", false, "'anvil' is a dev namespace; it is served only with dev: true")]
    [InlineData("evm", false, "'evm' is a dev namespace")]
    [InlineData("admin", false, "'admin' holds operator methods, served only on the admin endpoint")]
    [InlineData("admin", true, "'admin' holds operator methods")]
    [InlineData("ethh", true, "unknown namespace 'ethh'; known: eth, net, web3")]
    public void A_namespace_an_endpoint_may_not_serve_is_refused_with_the_reason(string name, bool dev, string reason)
    {
        Assert.Contains(reason, RpcNamespaces.WhyNotEnabled(name, dev));
        var e = Assert.Throws<ArgumentException>(() => RpcAccessPolicy.ForPublicEndpoint(["eth", name], dev));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void A_module_can_declare_an_operator_method_in_a_public_namespace()
    {
        var classes = new Dictionary<string, RpcAccessClass> { ["eth_chainId"] = RpcAccessClass.Operator };
        using var dispatcher = new RpcDispatcher(new FakeBackend(), new RpcServerOptions { Access = RpcAccessPolicy.ForPublicEndpoint(null, dev: false, classes) });
        Assert.Contains("operator method", Error(dispatcher, "eth_chainId").Message);
        Result(dispatcher, "eth_blockNumber");
    }

    [Fact]
    public void Every_served_method_belongs_to_a_namespace_of_the_table()
    {
        foreach (var method in RpcDispatcher.SupportedMethods)
            Assert.True(RpcNamespaces.FindFor(method) is not null, $"{method} has no row in RpcNamespaces");
    }

    [Fact]
    public void The_access_check_of_a_served_method_allocates_nothing()
    {
        var policy = RpcAccessPolicy.ForPublicEndpoint(null, dev: false);
        policy.Demand("eth_getBalance"); // warm up
        policy.Demand("cluster_status");
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            policy.Demand("eth_getBalance");
            policy.Demand("cluster_status");
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
