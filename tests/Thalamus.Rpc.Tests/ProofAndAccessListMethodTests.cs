using System.Text.Json;
using Thalamus.Core;
using Xunit;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Rpc.Tests;

/// <summary>eth_getProof and eth_createAccessList over JSON-RPC, against a real in-memory chain.</summary>
public sealed class ProofAndAccessListMethodTests : IDisposable
{
    private static readonly string Zero32 = "0x" + new string('0', 64);

    private readonly TestChain _chain = new();
    private RpcDispatcher Rpc => _chain.Dispatcher;

    public void Dispose() => _chain.Dispose();

    /// <summary>Returns its storage slot 5.</summary>
    private static readonly byte[] StoreRuntime = [0x60, 0x05, 0x54, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3];

    /// <summary>STATICCALLs <paramref name="store"/> and returns its 32-byte answer.</summary>
    private static byte[] ReaderRuntime(Address store) =>
    [
        0x60, 0x20, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x73, .. store.Bytes, 0x5a, 0xfa, 0x50, // STATICCALL(gas, store, 0, 0, 0, 32) POP
        0x60, 0x20, 0x60, 0x00, 0xf3,                                                        // RETURN(0, 32)
    ];

    /// <summary>sstore(0, calldataload(0)).</summary>
    private static readonly byte[] SetterRuntime = [0x60, 0x00, 0x35, 0x60, 0x00, 0x55, 0x00];

    [Fact]
    public void Get_proof_answers_geths_shape_and_matches_the_state()
    {
        var contract = _chain.Deploy(SetterRuntime);
        var value = new byte[32];
        value[31] = 0x2a;
        _chain.Send(0, contract, value);

        var result = Result(Rpc, "eth_getProof", $"[\"{contract}\", [\"0x0\", \"{Zero32}\", \"0x01\"], \"latest\"]");
        Assert.Equal(contract.ToString(), result.GetProperty("address").GetString());
        Assert.Equal(Result(Rpc, "eth_getBalance", $"[\"{contract}\", \"latest\"]").GetString(), result.GetProperty("balance").GetString());
        Assert.Equal("0x1", result.GetProperty("nonce").GetString());
        var code = Hex.Decode(Result(Rpc, "eth_getCode", $"[\"{contract}\", \"latest\"]").GetString()!);
        Assert.Equal(Keccak256.Compute(code).ToString(), result.GetProperty("codeHash").GetString());

        // The first node hashes to the block's state root; the account leaf carries the storage hash.
        var stateRoot = Result(Rpc, "eth_getBlockByNumber", "[\"latest\", false]").GetProperty("stateRoot").GetString();
        var accountProof = result.GetProperty("accountProof").EnumerateArray().Select(n => Hex.Decode(n.GetString()!)).ToList();
        Assert.Equal(stateRoot, Keccak256.Compute(accountProof[0]).ToString());
        var storageHash = result.GetProperty("storageHash").GetString()!;
        Assert.Contains(storageHash[2..], Hex.Encode(accountProof[^1], prefix: false));

        // Keys echo as given: a 32-byte key as 32 bytes, a shorter one as a quantity (geth).
        var storage = result.GetProperty("storageProof").EnumerateArray().ToList();
        Assert.Equal(["0x0", Zero32, "0x1"], storage.Select(s => s.GetProperty("key").GetString()));
        Assert.Equal(["0x2a", "0x2a", "0x0"], storage.Select(s => s.GetProperty("value").GetString()));
        var slotProof = storage[0].GetProperty("proof").EnumerateArray().Select(n => Hex.Decode(n.GetString()!)).ToList();
        Assert.Equal(storageHash, Keccak256.Compute(slotProof[0]).ToString());
    }

    [Fact]
    public void Get_proof_of_a_missing_account_has_zero_hashes_and_empty_storage_proofs()
    {
        var nobody = Address.Parse("0x00000000000000000000000000000000000dead1");
        var result = Result(Rpc, "eth_getProof", $"[\"{nobody}\", [\"0x5\"], \"latest\"]");
        Assert.Equal(Zero32, result.GetProperty("codeHash").GetString());
        Assert.Equal(Zero32, result.GetProperty("storageHash").GetString());
        Assert.Equal("0x0", result.GetProperty("balance").GetString());
        Assert.NotEmpty(result.GetProperty("accountProof").EnumerateArray());
        var slot = Assert.Single(result.GetProperty("storageProof").EnumerateArray().ToList());
        Assert.Equal("0x5", slot.GetProperty("key").GetString());
        Assert.Equal("0x0", slot.GetProperty("value").GetString());
        Assert.Empty(slot.GetProperty("proof").EnumerateArray());
    }

    [Fact]
    public void Get_proof_rejects_bad_parameters()
    {
        var account = TestChain.AddressOf(0);
        Assert.Equal(-32602, Error(Rpc, "eth_getProof", $"[\"{account}\", \"0x0\", \"latest\"]").Code);
        Assert.Equal(-32602, Error(Rpc, "eth_getProof", $"[\"{account}\", [\"0x{new string('1', 65)}\"], \"latest\"]").Code);
        Assert.Equal(-32602, Error(Rpc, "eth_getProof", $"[\"{account}\", [5], \"latest\"]").Code);
        Assert.Equal(-32602, Error(Rpc, "eth_getProof", "[\"0x1234\", [], \"latest\"]").Code);
        var unknownBlock = Error(Rpc, "eth_getProof", $"[\"{account}\", [], \"0x99\"]");
        Assert.Equal(-32000, unknownBlock.Code);
        Assert.Contains("header not found", unknownBlock.Message);
    }

    [Fact]
    public void Create_access_list_lists_the_storage_another_contract_reads()
    {
        var store = _chain.Deploy(StoreRuntime);
        var reader = _chain.Deploy(ReaderRuntime(store));
        var from = TestChain.AddressOf(0);

        var result = Result(Rpc, "eth_createAccessList", $"[{{\"from\":\"{from}\",\"to\":\"{reader}\"}}, \"latest\"]");
        var entry = Assert.Single(result.GetProperty("accessList").EnumerateArray().ToList());
        Assert.Equal(store.ToString(), entry.GetProperty("address").GetString());
        Assert.Equal(["0x" + new string('0', 63) + "5"], entry.GetProperty("storageKeys").EnumerateArray().Select(k => k.GetString()));
        Assert.False(result.TryGetProperty("error", out _));
        var gasUsed = Convert.ToUInt64(result.GetProperty("gasUsed").GetString()![2..], 16);
        // 21,000 + 2,400 + 1,900 for the list, plus the call and its (now warm) SLOAD.
        Assert.InRange(gasUsed, 21_000UL + 4_300UL + 100UL, 40_000UL);
    }

    [Fact]
    public void Create_access_list_reports_a_revert_in_the_error_field()
    {
        var reverter = _chain.Deploy(Bytecode.Reverter);
        var result = Result(Rpc, "eth_createAccessList", $"[{{\"to\":\"{reverter}\"}}]");
        Assert.Equal("execution reverted", result.GetProperty("error").GetString());
        Assert.Empty(result.GetProperty("accessList").EnumerateArray());
        Assert.Equal(JsonValueKind.String, result.GetProperty("gasUsed").ValueKind);
    }

    [Fact]
    public void Backends_without_the_methods_answer_method_not_found()
    {
        using var rpc = new RpcDispatcher(new FakeBackend());
        Assert.Equal(-32601, Error(rpc, "eth_getProof", "[\"0x0000000000000000000000000000000000000001\", [], \"latest\"]").Code);
        Assert.Equal(-32601, Error(rpc, "eth_createAccessList", "[{\"to\":\"0x0000000000000000000000000000000000000001\"}]").Code);
        Assert.Contains("eth_getProof", RpcDispatcher.SupportedMethods);
        Assert.Contains("eth_createAccessList", RpcDispatcher.SupportedMethods);
    }
}
