using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Xunit;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Rpc.Tests;

/// <summary>Every error path of the JSON-RPC envelope and parameter parsing, over a fake backend.</summary>
public sealed class DispatcherErrorTests : IDisposable
{
    private const string Account = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    private readonly FakeBackend _backend = new();
    private readonly RpcDispatcher _dispatcher;

    public DispatcherErrorTests()
    {
        _dispatcher = new RpcDispatcher(_backend, new RpcServerOptions { MaxBatchSize = 5, MaxLogBlockRange = 100, MaxLogResults = 3 });
    }

    public void Dispose() => _dispatcher.Dispose();

    private static (int Code, string Message) ErrorOf(JsonElement response)
    {
        var error = response.GetProperty("error");
        return (error.GetProperty("code").GetInt32(), error.GetProperty("message").GetString()!);
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,")]
    [InlineData("{\"jsonrpc\":\"2.0\" \"id\":1}")]
    [InlineData("not json")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}{}")]
    [InlineData("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"},]")]
    [InlineData("   ")]
    [InlineData("{\"a\":1 // comment\n}")]
    public void Malformed_json_is_a_parse_error_with_null_id(string body)
    {
        var response = Process(_dispatcher, body);
        Assert.Equal(RpcErrorCodes.ParseError, ErrorOf(response).Code);
        Assert.Equal(JsonValueKind.Null, response.GetProperty("id").ValueKind);
        Assert.Equal("2.0", response.GetProperty("jsonrpc").GetString());
    }

    [Fact]
    public void Deeply_nested_json_is_a_parse_error_not_a_crash()
    {
        var body = new string('[', 100_000) + new string(']', 100_000);
        Assert.Equal(RpcErrorCodes.ParseError, ErrorOf(Process(_dispatcher, body)).Code);
    }

    [Fact]
    public void Unknown_method_is_method_not_found_and_keeps_the_id()
    {
        var response = Process(_dispatcher, """{"jsonrpc":"2.0","id":"abc","method":"eth_doesNotExist","params":[]}""");
        var (code, message) = ErrorOf(response);
        Assert.Equal(RpcErrorCodes.MethodNotFound, code);
        Assert.Contains("eth_doesNotExist", message);
        Assert.Equal("abc", response.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("""{"id":1,"method":"eth_chainId"}""", "jsonrpc")]
    [InlineData("""{"jsonrpc":"1.0","id":1,"method":"eth_chainId"}""", "jsonrpc")]
    [InlineData("""{"jsonrpc":"2.0","id":1}""", "method")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":42}""", "method")]
    [InlineData("""{"jsonrpc":"2.0","id":{"x":1},"method":"eth_chainId"}""", "id")]
    [InlineData("""{"jsonrpc":"2.0","id":[1],"method":"eth_chainId"}""", "id")]
    [InlineData("42", "object")]
    [InlineData("\"eth_chainId\"", "object")]
    public void Invalid_requests_are_rejected_with_the_reason(string body, string mentioned)
    {
        var (code, message) = ErrorOf(Process(_dispatcher, body));
        Assert.Equal(RpcErrorCodes.InvalidRequest, code);
        Assert.Contains(mentioned, message);
    }

    [Fact]
    public void A_byte_order_mark_is_tolerated()
    {
        using var output = new PooledBufferWriter();
        _dispatcher.Process([0xEF, 0xBB, 0xBF, .. "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}"u8], output);
        using var doc = JsonDocument.Parse(output.WrittenMemory);
        Assert.True(doc.RootElement.TryGetProperty("result", out _));
    }

    [Fact]
    public void Ids_are_echoed_verbatim()
    {
        Assert.Equal(12345678901234567890m, Process(_dispatcher, """{"jsonrpc":"2.0","id":12345678901234567890,"method":"eth_chainId"}""").GetProperty("id").GetDecimal());
        Assert.Equal("x\"y", Process(_dispatcher, """{"jsonrpc":"2.0","id":"x\"y","method":"eth_chainId"}""").GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, Process(_dispatcher, """{"jsonrpc":"2.0","id":null,"method":"eth_chainId"}""").GetProperty("id").ValueKind);
    }

    [Fact]
    public void Non_array_params_are_invalid_params()
    {
        var (code, message) = ErrorOf(Process(_dispatcher, """{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":{"address":"0x00"}}"""));
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("non-array", message);
    }

    [Theory]
    [InlineData("eth_getBalance", "[\"f39fd6e51aad88f6f4ce6ab8827279cfffb92266\"]", "argument 0 (address)", "without 0x prefix")]
    [InlineData("eth_getBalance", "[12]", "argument 0 (address)", "got a number")]
    [InlineData("eth_getBalance", "[\"0x1234\"]", "argument 0 (address)", "want 40")]
    [InlineData("eth_getBalance", "[\"" + Account + "\", \"newest\"]", "argument 1 (block)", "latest")]
    [InlineData("eth_getBalance", "[\"" + Account + "\", \"0x01\"]", "argument 1 (block)", "leading zero")]
    [InlineData("eth_getBalance", "[\"" + Account + "\", true]", "argument 1 (block)", "got a boolean")]
    [InlineData("eth_getBalance", "[]", "argument 0 (address)", "missing value")]
    [InlineData("eth_getBalance", "[\"" + Account + "\", \"latest\", 3]", "too many arguments", "at most 2")]
    [InlineData("eth_getBlockByNumber", "[\"latest\", \"yes\"]", "argument 1 (fullTransactions)", "boolean")]
    [InlineData("eth_getBlockByHash", "[\"0x12\"]", "argument 0 (blockHash)", "want 64")]
    [InlineData("eth_call", "[{\"to\":\"" + Account + "\",\"gas\":\"0x0a\"}]", "argument 0 (transaction)", "field \"gas\"")]
    [InlineData("eth_call", "[{\"to\":\"" + Account + "\",\"data\":\"0x1\"}]", "argument 0 (transaction)", "odd length")]
    [InlineData("eth_call", "[{\"data\":\"0x01\",\"input\":\"0x02\"}]", "argument 0 (transaction)", "not equal")]
    [InlineData("eth_call", "[\"0x00\"]", "argument 0 (transaction)", "transaction object")]
    [InlineData("eth_call", "[{}, \"latest\", {\"0x00\":{}}]", "argument 2 (stateOverrides)", "not supported")]
    [InlineData("eth_getLogs", "[{\"topics\":[1]}]", "argument 0 (filter)", "topics")]
    [InlineData("eth_getLogs", "[{\"topics\":[null,null,null,null,null]}]", "argument 0 (filter)", "max topics")]
    [InlineData("eth_getLogs", "[{\"address\":[\"0x12\"]}]", "argument 0 (filter)", "address")]
    [InlineData("eth_getLogs", "[{\"blockHash\":\"0x" + "ab" + "abababababababababababababababababababababababababababababababab\",\"fromBlock\":\"0x1\"}]", "argument 0 (filter)", "blockHash")]
    [InlineData("eth_sendRawTransaction", "[\"0xzz\"]", "argument 0 (signedTransaction)", "invalid hex")]
    [InlineData("eth_feeHistory", "[\"0x4\", \"latest\", [50, 10]]", "argument 2 (rewardPercentiles)", "ascending")]
    [InlineData("eth_feeHistory", "[\"0x4\", \"latest\", [101]]", "argument 2 (rewardPercentiles)", "between 0 and 100")]
    [InlineData("evm_setAutomine", "[\"true\"]", "argument 0 (enabled)", "boolean")]
    [InlineData("evm_mine", "[{\"blocks\":\"many\"}]", "argument 0 (options)", "blocks")]
    [InlineData("eth_chainId", "[1]", "too many arguments", "at most 0")]
    public void Wrong_params_are_invalid_params_naming_the_argument(string method, string parameters, string names, string says)
    {
        var (code, message, _) = Error(_dispatcher, method, parameters);
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains(names, message);
        Assert.Contains(says, message);
    }

    [Fact]
    public void Missing_params_member_means_no_arguments()
    {
        var response = Process(_dispatcher, """{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}""");
        Assert.Equal(_backend.ChainId.ToString("x", System.Globalization.CultureInfo.InvariantCulture), response.GetProperty("result").GetString()![2..]);
    }

    [Fact]
    public void Null_optional_argument_takes_the_default()
    {
        Result(_dispatcher, "eth_getBalance", $"[\"{Account}\", null]");
        Assert.Contains($"balance {Address.Parse(Account)} latest", _backend.Calls);
    }

    [Fact]
    public void Eip1898_block_objects_are_accepted()
    {
        var hash = "0x" + new string('a', 64);
        Result(_dispatcher, "eth_getBalance", $"[\"{Account}\", {{\"blockHash\":\"{hash}\"}}]");
        Result(_dispatcher, "eth_getBalance", $"[\"{Account}\", {{\"blockNumber\":\"0x2\"}}]");
        Assert.Contains($"balance {Address.Parse(Account)} {hash}", _backend.Calls);
        Assert.Contains($"balance {Address.Parse(Account)} 0x2", _backend.Calls);
        var (code, message, _) = Error(_dispatcher, "eth_getBalance", $"[\"{Account}\", {{\"blockHash\":\"{hash}\",\"blockNumber\":\"0x2\"}}]");
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("both", message);
    }

    [Fact]
    public void Empty_batch_is_one_invalid_request_error()
    {
        var response = Process(_dispatcher, "[]");
        Assert.Equal(JsonValueKind.Object, response.ValueKind);
        Assert.Equal(RpcErrorCodes.InvalidRequest, ErrorOf(response).Code);
    }

    [Fact]
    public void Oversized_batch_is_rejected_whole()
    {
        var body = "[" + string.Join(",", Enumerable.Range(0, 6).Select(i => $$"""{"jsonrpc":"2.0","id":{{i}},"method":"eth_chainId"}""")) + "]";
        var (code, message) = ErrorOf(Process(_dispatcher, body));
        Assert.Equal(RpcErrorCodes.InvalidRequest, code);
        Assert.Contains("batch too large", message);
        Assert.Contains("6", message);
    }

    [Fact]
    public void Batch_answers_each_request_in_order_with_its_own_errors()
    {
        var body = """
            [{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},
             {"jsonrpc":"2.0","id":2,"method":"eth_nope"},
             42,
             {"jsonrpc":"2.0","id":4,"method":"eth_getBalance","params":["0x12"]},
             {"jsonrpc":"2.0","id":5,"method":"eth_blockNumber"}]
            """;
        var responses = Process(_dispatcher, body).EnumerateArray().ToArray();
        Assert.Equal(5, responses.Length);
        Assert.Equal(1, responses[0].GetProperty("id").GetInt32());
        Assert.True(responses[0].TryGetProperty("result", out _));
        Assert.Equal(RpcErrorCodes.MethodNotFound, ErrorOf(responses[1]).Code);
        Assert.Equal(RpcErrorCodes.InvalidRequest, ErrorOf(responses[2]).Code);
        Assert.Equal(RpcErrorCodes.InvalidParams, ErrorOf(responses[3]).Code);
        Assert.Equal(4, responses[3].GetProperty("id").GetInt32());
        Assert.Equal("0x" + _backend.Head.Number.ToString("x", System.Globalization.CultureInfo.InvariantCulture), responses[4].GetProperty("result").GetString());
    }

    [Fact]
    public void Notifications_get_no_response_but_run()
    {
        var address = Address.Parse("0x00000000000000000000000000000000000000aa");
        Assert.Equal("", ProcessRaw(_dispatcher, $$"""{"jsonrpc":"2.0","method":"anvil_setBalance","params":["{{address}}","0x5"]}"""));
        Assert.Equal(new UInt256(5), _backend.Balances[address]);
        var batch = ProcessRaw(_dispatcher, """[{"jsonrpc":"2.0","method":"eth_chainId"},{"jsonrpc":"2.0","method":"eth_blockNumber"}]""");
        Assert.Equal("", batch);
        var mixed = Process(_dispatcher, """[{"jsonrpc":"2.0","method":"eth_chainId"},{"jsonrpc":"2.0","id":9,"method":"eth_blockNumber"}]""");
        Assert.Equal(9, Assert.Single(mixed.EnumerateArray()).GetProperty("id").GetInt32());
    }

    [Fact]
    public void Pool_errors_keep_geths_message_and_code()
    {
        _backend.SendError = new TxPoolException(TxPoolError.NonceTooLow, "nonce too low: next nonce 3, tx nonce 1");
        var (code, message, _) = Error(_dispatcher, "eth_sendRawTransaction", "[\"0x01\"]");
        Assert.Equal(RpcErrorCodes.ServerError, code);
        Assert.Equal("nonce too low: next nonce 3, tx nonce 1", message);
        _backend.SendError = new TransactionDecodingException("rlp: expected a list");
        (code, message, _) = Error(_dispatcher, "eth_sendRawTransaction", "[\"0x01\"]");
        Assert.Equal(RpcErrorCodes.ServerError, code);
        Assert.Contains("rlp", message);
    }

    [Fact]
    public void Revert_is_code_3_with_the_revert_data_and_decoded_reason()
    {
        var revert = Abi.EncodeError("nope");
        _backend.NextCallResult = new CallResult { Success = false, Reverted = true, ReturnData = revert, GasUsed = 100, Error = "execution reverted" };
        var (code, message, data) = Error(_dispatcher, "eth_call", "[{\"to\":\"" + Account + "\"}]");
        Assert.Equal(RpcErrorCodes.ExecutionReverted, code);
        Assert.Equal("execution reverted: nope", message);
        Assert.Equal(Hex.Encode(revert), data);

        _backend.NextCallResult = new CallResult { Success = false, Reverted = true, ReturnData = [], GasUsed = 100 };
        (code, message, data) = Error(_dispatcher, "eth_call", "[{\"to\":\"" + Account + "\"}]");
        Assert.Equal((RpcErrorCodes.ExecutionReverted, "execution reverted", "0x"), (code, message, data));

        _backend.NextCallResult = new CallResult { Success = false, ReturnData = [], GasUsed = 100, Error = "out of gas" };
        (code, message, _) = Error(_dispatcher, "eth_call", "[{\"to\":\"" + Account + "\"}]");
        Assert.Equal((RpcErrorCodes.ServerError, "out of gas"), (code, message));
    }

    [Fact]
    public void Reversed_log_range_is_invalid_params()
    {
        var (code, message, _) = Error(_dispatcher, "eth_getLogs", "[{\"fromBlock\":\"0x5\",\"toBlock\":\"0x2\"}]");
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("invalid block range", message);
    }

    [Fact]
    public void Log_block_range_limit_is_enforced()
    {
        _backend.Head = new BlockHeader { Number = 500, GasLimit = 30_000_000 };
        var (code, message, _) = Error(_dispatcher, "eth_getLogs", "[{\"fromBlock\":\"0x0\"}]");
        Assert.Equal(RpcErrorCodes.LimitExceeded, code);
        Assert.Contains("501 blocks", message);
        Assert.Contains("100", message);
        // Within the limit the query runs.
        Assert.Equal(JsonValueKind.Array, Result(_dispatcher, "eth_getLogs", "[{\"fromBlock\":\"0x191\"}]").ValueKind);
        Assert.Contains("logs 401-500", _backend.Calls);
    }

    [Fact]
    public void Log_result_limit_is_enforced()
    {
        var emitter = Address.Parse("0x00000000000000000000000000000000000000ee");
        for (var i = 0; i < 3; i++)
            _backend.Logs.Add(new LogRecord(emitter, [], [], 1, Hash256.Zero, Hash256.Zero, 0, i));
        Assert.Equal(3, Result(_dispatcher, "eth_getLogs", "[{\"fromBlock\":\"earliest\"}]").GetArrayLength());
        _backend.Logs.Add(new LogRecord(emitter, [], [], 1, Hash256.Zero, Hash256.Zero, 0, 3));
        var (code, message, _) = Error(_dispatcher, "eth_getLogs", "[{\"fromBlock\":\"earliest\"}]");
        Assert.Equal(RpcErrorCodes.LimitExceeded, code);
        Assert.Contains("more than 3 results", message);
    }

    [Fact]
    public void Unsupported_dev_methods_say_so()
    {
        var (code, message, _) = Error(_dispatcher, "anvil_setCode", $"[\"{Account}\", \"0x00\"]");
        Assert.Equal(RpcErrorCodes.MethodNotFound, code);
        Assert.Contains("not supported", message);
    }

    [Fact]
    public void Subscriptions_need_a_websocket()
    {
        var (code, message, _) = Error(_dispatcher, "eth_subscribe", "[\"newHeads\"]");
        Assert.Equal(RpcErrorCodes.NotificationsUnsupported, code);
        Assert.Contains("WebSocket", message);
    }

    [Fact]
    public void Unexpected_backend_failures_are_internal_errors_not_crashes()
    {
        var errors = new List<Exception>();
        using var dispatcher = new RpcDispatcher(new ThrowingBackend(), new RpcServerOptions { OnInternalError = errors.Add });
        var (code, message, _) = Error(dispatcher, "eth_blockNumber");
        Assert.Equal(RpcErrorCodes.InternalError, code);
        Assert.Contains("boom", message);
        Assert.Single(errors);
    }

    /// <summary>A backend whose head read fails unexpectedly.</summary>
    private sealed class ThrowingBackend : IEthereumBackend
    {
        public ulong ChainId => 1;
        public BlockHeader Head => throw new InvalidOperationException("boom");
        public bool Automine => true;
        public event Action<Block, IReadOnlyList<TransactionReceipt>>? BlockSealed { add { } remove { } }
        public event Action<Hash256>? PendingTransactionAdded { add { } remove { } }
        public Hash256 SendRawTransaction(ReadOnlySpan<byte> raw) => throw new NotImplementedException();
        public Hash256 SendTransaction(Transaction signedTransaction) => throw new NotImplementedException();
        public UInt256 NextBaseFee() => throw new NotImplementedException();
        public CallResult Call(CallRequest request, BlockSelector block) => throw new NotImplementedException();
        public ulong EstimateGas(CallRequest request, BlockSelector block) => throw new NotImplementedException();
        public UInt256 GetBalance(Address address, BlockSelector block) => throw new NotImplementedException();
        public ulong GetTransactionCount(Address address, BlockSelector block) => throw new NotImplementedException();
        public byte[] GetCode(Address address, BlockSelector block) => throw new NotImplementedException();
        public UInt256 GetStorageAt(Address address, UInt256 slot, BlockSelector block) => throw new NotImplementedException();
        public BlockHeader? GetHeader(BlockSelector block) => throw new NotImplementedException();
        public Block? GetBlock(BlockSelector block) => throw new NotImplementedException();
        public (Transaction Transaction, TransactionLocation? Location)? GetTransaction(Hash256 hash) => throw new NotImplementedException();
        public TransactionReceipt? GetReceipt(Hash256 hash) => throw new NotImplementedException();
        public IReadOnlyList<TransactionReceipt> GetBlockReceipts(Hash256 blockHash) => throw new NotImplementedException();
        public IEnumerable<LogRecord> GetLogs(LogFilter filter) => throw new NotImplementedException();
        public UInt256 GasPrice() => throw new NotImplementedException();
        public UInt256 MaxPriorityFeePerGas() => throw new NotImplementedException();
        public FeeHistory GetFeeHistory(int blockCount, BlockSelector newest, double[] percentiles) => throw new NotImplementedException();
        public IReadOnlyList<Block> Mine(int blocks, ulong? timestamp) => throw new NotImplementedException();
        public void SetAutomine(bool enabled) => throw new NotImplementedException();
        public void SetIntervalMining(TimeSpan interval) => throw new NotImplementedException();
        public ulong Snapshot() => throw new NotImplementedException();
        public bool Revert(ulong snapshotId) => throw new NotImplementedException();
        public ulong IncreaseTime(ulong seconds) => throw new NotImplementedException();
        public void SetNextBlockTimestamp(ulong timestamp) => throw new NotImplementedException();
        public void SetBalance(Address address, UInt256 balance) => throw new NotImplementedException();
        public void SetCode(Address address, byte[] code) => throw new NotImplementedException();
        public void SetNonce(Address address, ulong nonce) => throw new NotImplementedException();
        public void SetStorageAt(Address address, UInt256 slot, UInt256 value) => throw new NotImplementedException();
    }
}
