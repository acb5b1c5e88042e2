using Thalamus.Rpc;
using Thalamus.Rpc.Tests;
using Xunit;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Cluster.Tests;

/// <summary>Bad cluster_* arguments are -32602 errors naming the argument, and never reach the backend.</summary>
public sealed class ClusterParamTests : IDisposable
{
    private readonly FakeCluster _cluster = new();
    private readonly RpcDispatcher _dispatcher;

    public ClusterParamTests()
    {
        _dispatcher = new RpcDispatcher(new FakeBackend(), new RpcServerOptions { Methods = FakeCluster.Methods(_cluster) });
    }

    public void Dispose() => _dispatcher.Dispose();

    private string InvalidParams(string method, string parameters)
    {
        var (code, message, _) = Error(_dispatcher, method, parameters);
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        return message;
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("\"0x0\"")]
    [InlineData("\"0x3e9\"")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("\"ten\"")]
    [InlineData("true")]
    [InlineData("18446744073709551616")]
    public void Limit_outside_1_to_1000_is_invalid(string limit)
    {
        var message = InvalidParams("cluster_getMessages", $$"""[{"limit":{{limit}}}]""");
        Assert.Contains("limit", message);
        Assert.StartsWith("invalid argument 0 (query)", message);
        Assert.Null(_cluster.LastQuery);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(ClusterRpcMethods.MaxMessagePage)]
    public void Limit_at_the_bounds_is_accepted(int limit)
    {
        Result(_dispatcher, "cluster_getMessages", $$"""[{"limit":{{limit}}}]""");
        Assert.Equal(limit, _cluster.LastQuery!.Limit);
    }

    [Theory]
    [InlineData("\"delivered\"")]
    [InlineData("\"Relayed\"")]
    [InlineData("\"\"")]
    [InlineData("1")]
    public void Status_must_be_pending_relayed_or_failed(string status)
    {
        var message = InvalidParams("cluster_getMessages", $$"""[{"status":{{status}}}]""");
        Assert.Contains("status", message);
        Assert.Null(_cluster.LastQuery);
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("relayed")]
    [InlineData("failed")]
    public void Each_known_status_is_accepted(string status)
    {
        Result(_dispatcher, "cluster_getMessages", $$"""[{"status":"{{status}}"}]""");
        Assert.Equal(Enum.Parse<MessageStatus>(status, ignoreCase: true), _cluster.LastQuery!.Status);
    }

    [Theory]
    [InlineData("""[{"sender":"0x1234"}]""", "sender")]
    [InlineData("""[{"sender":"f39fd6e51aad88f6f4ce6ab8827279cfffb92266"}]""", "sender")]
    [InlineData("""[{"sourceChainId":"0xzz"}]""", "sourceChainId")]
    [InlineData("""[{"destinationChainId":{}}]""", "destinationChainId")]
    [InlineData("""[{"cursor":5}]""", "cursor")]
    [InlineData("""[{"destChainId":"0x1"}]""", "destChainId")]
    [InlineData("""["pending"]""", "query object")]
    [InlineData("""[[]]""", "query object")]
    [InlineData("""[{}, {}]""", "too many arguments")]
    public void Malformed_queries_are_invalid_params(string parameters, string mentioned)
    {
        Assert.Contains(mentioned, InvalidParams("cluster_getMessages", parameters));
        Assert.Null(_cluster.LastQuery);
    }

    [Theory]
    [InlineData("[]", "missing value")]
    [InlineData("[null]", "missing value")]
    [InlineData("[\"0x1234\"]", "id")]
    [InlineData("[42]", "id")]
    public void GetMessage_needs_a_32_byte_id(string parameters, string mentioned)
    {
        Assert.Contains(mentioned, InvalidParams("cluster_getMessage", parameters));
        Assert.Null(_cluster.LastMessageId);
    }

    [Theory]
    [InlineData("cluster_haltChain", "[]")]
    [InlineData("cluster_haltChain", "[\"chain\"]")]
    [InlineData("cluster_haltChain", "[-5]")]
    [InlineData("cluster_haltChain", "[\"0x385\", 1]")]
    [InlineData("cluster_resumeChain", "[{}]")]
    [InlineData("cluster_resumeChain", "[null]")]
    public void Halt_and_resume_need_one_chain_id(string method, string parameters)
    {
        InvalidParams(method, parameters);
        Assert.Empty(_cluster.ChainCalls);
    }

    [Theory]
    [InlineData("cluster_chains")]
    [InlineData("cluster_status")]
    public void Parameterless_methods_refuse_arguments(string method) =>
        Assert.Contains("too many arguments", InvalidParams(method, "[1]"));
}
