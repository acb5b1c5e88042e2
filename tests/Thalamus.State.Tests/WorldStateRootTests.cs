using Thalamus.Core;
using Thalamus.State;
using Xunit;

namespace Thalamus.State.Tests;

/// <summary>State roots against values published in the Ethereum state tests.</summary>
public class WorldStateRootTests
{
    [Fact]
    public void Empty_state_has_the_empty_trie_root()
    {
        Assert.Equal(Hash256.Parse("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421"), new WorldState().ComputeStateRoot());
    }

    [Fact]
    public void Single_account_root_matches_an_invalid_transaction_test()
    {
        // GeneralStateTests/Pyspecs/cancun/eip4844_blobs/insufficient_balance_blob_tx.json: the transaction
        // is invalid, so the expected post root is the root of the one-account pre-state.
        var state = new WorldState();
        state.SetBalance(Address.Parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b"), UInt256.Parse("0x07cf7f"));
        Assert.Equal(Hash256.Parse("0x2a3feee72ff8f01bec0676c8663b7d30831427d8bf77d94db879cdce0b3eae8a"), state.ComputeStateRoot());
    }

    [Fact]
    public void Root_with_code_and_storage_matches_the_add11_post_state()
    {
        // GeneralStateTests/stExample/add11.json, Cancun: the contract 0x095e… runs
        // PUSH1 1 PUSH1 1 ADD PUSH1 0 SSTORE STOP; gas used = 21000 + 4 * 3 + 22100 (cold SSTORE 0 -> 2)
        // = 43112 at gas price 10 = base fee (nothing to the coinbase); the value 100000 moves to the contract.
        var state = new WorldState();
        var contract = Address.Parse("0x095e7baea6a6c7c4c2dfeb977efac326af552d87");
        var coinbase = Address.Parse("0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba");
        var sender = Address.Parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b");
        var ether = UInt256.Parse("1000000000000000000");
        state.SetBalance(contract, ether + 100000);
        state.SetCode(contract, Hex.Decode("0x600160010160005500"));
        state.SetStorage(contract, 0, 2);
        state.SetNonce(coinbase, 1);
        state.SetBalance(coinbase, UInt256.Zero);
        state.SetBalance(sender, ether - 43112 * 10 - 100000);
        state.SetNonce(sender, 1);
        Assert.Equal(Hash256.Parse("0xe8010ce590f401c9d61fef8ab05bea9bcec24281b795e5868809bc4e515aa530"), state.ComputeStateRoot());
    }

    [Fact]
    public void Zeroed_slots_and_reverted_accounts_leave_no_trace_in_the_root()
    {
        var state = new WorldState();
        var a = Address.Parse("0x00000000000000000000000000000000000000aa");
        state.SetBalance(a, 1);
        var expected = state.ComputeStateRoot();
        state.SetStorage(a, 7, 7);
        Assert.NotEqual(expected, state.ComputeStateRoot());
        state.SetStorage(a, 7, 0);
        Assert.Equal(expected, state.ComputeStateRoot());
    }

    [Fact]
    public void Storage_root_is_per_account_and_empty_for_no_storage()
    {
        var state = new WorldState();
        var a = Address.Parse("0x00000000000000000000000000000000000000aa");
        var b = Address.Parse("0x00000000000000000000000000000000000000bb");
        state.SetStorage(a, 1, 1);
        state.SetBalance(b, 1);
        Assert.Equal(Keccak256.OfEmptyList, state.GetStorageRoot(b));
        Assert.NotEqual(Keccak256.OfEmptyList, state.GetStorageRoot(a));
        Assert.Equal(Keccak256.OfEmptyList, state.GetStorageRoot(Address.Zero));
    }
}
