using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Thalamus.Rpc.Tests;

/// <summary>
/// Law: whatever bytes arrive, the dispatcher answers with well-formed JSON-RPC (or nothing, for
/// notifications) and never throws.
/// </summary>
public sealed class DispatcherFuzzTests : IDisposable
{
    private static readonly Config Settings = Config.QuickThrowOnFailure.WithMaxTest(2000);

    private static readonly string[] Seeds =
    [
        """{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266","latest"]}""",
        """[{"jsonrpc":"2.0","id":"a","method":"eth_call","params":[{"to":"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266","data":"0x1234","gas":"0x5208"},{"blockNumber":"0x1"}]},{"jsonrpc":"2.0","id":2,"method":"eth_chainId"}]""",
        """{"jsonrpc":"2.0","id":3,"method":"eth_getLogs","params":[{"fromBlock":"0x0","toBlock":"latest","address":["0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"],"topics":[null,["0x0000000000000000000000000000000000000000000000000000000000000001"]]}]}""",
        """{"jsonrpc":"2.0","id":4,"method":"eth_feeHistory","params":["0x4","latest",[10,50,90]]}""",
        """{"jsonrpc":"2.0","id":5,"method":"evm_mine","params":[{"timestamp":"0x10","blocks":2}]}""",
        """{"jsonrpc":"2.0","method":"anvil_setBalance","params":["0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266","0x1"]}""",
    ];

    private static readonly byte[] Alphabet = Encoding.ASCII.GetBytes("{}[]\",:0123456789abcdefx-.eE \\ntrufalsn\u00ff");

    private readonly FakeBackend _backend = new();
    private readonly RpcDispatcher _dispatcher;

    public DispatcherFuzzTests()
    {
        _dispatcher = new RpcDispatcher(_backend, new RpcServerOptions { MaxBatchSize = 10 });
    }

    public void Dispose() => _dispatcher.Dispose();

    /// <summary>A seed request with a few bytes replaced, inserted or deleted.</summary>
    private static readonly Arbitrary<byte[]> Mutated =
        Gen.Elements(Seeds).SelectMany(seed => Gen.Choose(1, 6).SelectMany(edits =>
            Gen.ArrayOf(Gen.Zip(Gen.Choose(0, 2), Gen.Zip(Gen.Choose(0, 10_000), Gen.Elements(Alphabet))), edits).Select(ops =>
            {
                var bytes = Encoding.UTF8.GetBytes(seed).ToList();
                foreach (var (kind, (position, value)) in ops)
                {
                    var at = position % (bytes.Count + 1);
                    if (kind == 0 && at < bytes.Count) bytes[at] = value;
                    else if (kind == 1) bytes.Insert(at, value);
                    else if (at < bytes.Count) bytes.RemoveAt(at);
                }
                return bytes.ToArray();
            })))
        .ToArbitrary();

    private void AssertWellFormedAnswer(byte[] body)
    {
        using var output = new PooledBufferWriter();
        _dispatcher.Process(body, output);
        if (output.WrittenCount == 0) return; // only notifications
        using var doc = JsonDocument.Parse(output.WrittenMemory);
        var responses = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.EnumerateArray().ToArray() : [doc.RootElement];
        Assert.NotEmpty(responses);
        foreach (var response in responses)
        {
            Assert.Equal("2.0", response.GetProperty("jsonrpc").GetString());
            Assert.True(response.TryGetProperty("id", out _));
            Assert.True(response.TryGetProperty("result", out _) ^ response.TryGetProperty("error", out var error));
            if (response.TryGetProperty("error", out error))
            {
                Assert.Equal(JsonValueKind.Number, error.GetProperty("code").ValueKind);
                Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
            }
        }
    }

    [Fact]
    public void Mutated_requests_always_get_well_formed_answers() =>
        Check.One(Settings, Prop.ForAll(Mutated, body => AssertWellFormedAnswer(body)));

    [Fact]
    public void Random_bytes_always_get_well_formed_answers() =>
        Check.One(Settings, Prop.ForAll<byte[]>(body => AssertWellFormedAnswer(body)));
}
