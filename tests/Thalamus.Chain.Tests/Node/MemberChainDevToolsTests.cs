using Thalamus.Core;
using Xunit;
using static Thalamus.Chain.Tests.Node.ChainTestKit;

namespace Thalamus.Chain.Tests.Node;

/// <summary>Impersonated transactions (the marker signature), anvil_reset, anvil_setChainId and eth_simulateV1 on a lone chain.</summary>
public sealed class MemberChainDevToolsTests
{
    private static readonly Address Stranger = Address.Parse("0x00000000000000000000000000000000000abcde");

    private static Transaction Transfer(MemberChain chain, Address from, Address to, ulong value, ulong chainId = ChainId) => new()
    {
        Type = TxType.DynamicFee,
        ChainId = chainId,
        Nonce = chain.GetTransactionCount(from, BlockSelector.Pending),
        MaxFeePerGas = Gwei(100),
        MaxPriorityFeePerGas = Gwei(1),
        GasLimit = 21_000,
        To = to,
        Value = new UInt256(value),
    };

    [Fact]
    public void The_marker_names_the_sender_in_the_bytes_so_a_decoded_copy_resolves_it()
    {
        var bob = TestAccount.Bob.Address;
        var chain = NewChain(out _);
        var impersonated = TransactionSigner.Impersonate(Transfer(chain, Stranger, bob, 1), Stranger);
        Assert.True(impersonated.HasImpersonationSignature);
        Assert.True(impersonated.IsImpersonated);
        Assert.Equal(UInt256.One, impersonated.S);
        Assert.Equal(Stranger.ToUInt256(), impersonated.R);

        var decoded = TransactionDecoder.Decode(impersonated.Encode());
        Assert.True(decoded.HasImpersonationSignature);
        Assert.False(decoded.IsImpersonated);
        Assert.Equal(Stranger, decoded.ResolveSender());
        Assert.Equal(impersonated.Hash, decoded.Hash);

        // Two senders of otherwise equal transactions have different hashes.
        var other = TransactionSigner.Impersonate(Transfer(chain, Stranger, bob, 1), bob);
        Assert.NotEqual(impersonated.Hash, other.Hash);

        // A real signature is not the marker, and resolves by recovery.
        var signed = TransactionSigner.Sign(Transfer(chain, TestAccount.Alice.Address, bob, 1), TestAccount.Alice.PrivateKey);
        Assert.False(signed.HasImpersonationSignature);
        Assert.Equal(TestAccount.Alice.Address, TransactionDecoder.Decode(signed.Encode()).ResolveSender());
    }

    [Fact]
    public void A_legacy_impersonated_transaction_keeps_its_EIP_155_chain_id()
    {
        var tx = TransactionSigner.Impersonate(new Transaction { Type = TxType.Legacy, ChainId = ChainId, GasPrice = Gwei(1), GasLimit = 21_000, To = Stranger }, Stranger);
        var decoded = TransactionDecoder.Decode(tx.Encode());
        Assert.Equal(ChainId, decoded.ChainId);
        Assert.Equal(new UInt256(ChainId * 2 + 35), decoded.V);
        Assert.Equal(Stranger, decoded.ResolveSender());
    }

    [Fact]
    public void The_pool_takes_an_impersonated_transaction_and_refuses_the_same_bytes_from_the_wire()
    {
        var chain = NewChain(out _);
        var alice = TestAccount.Alice.Address;
        var tx = TransactionSigner.Impersonate(Transfer(chain, alice, Stranger, 5), alice);
        var wire = tx.Encode();
        var refused = Assert.Throws<TxPoolException>(() => chain.SendRawTransaction(wire));
        Assert.Contains("reserved for impersonated transactions", refused.Message);
        Assert.Null(chain.TryPrepareRawTransaction(wire));

        chain.SendTransaction(tx);
        var receipt = chain.GetReceipt(tx.Hash)!;
        Assert.True(receipt.Success);
        Assert.Equal(alice, receipt.From);
        Assert.Equal(new UInt256(5), chain.GetBalance(Stranger, BlockSelector.Latest));
    }

    [Fact]
    public void Reset_returns_a_lone_chain_to_genesis_and_it_seals_again_from_there()
    {
        var chain = NewChain(out _);
        var genesis = chain.Head;
        chain.SendTransaction(TransactionSigner.Sign(Transfer(chain, TestAccount.Alice.Address, Stranger, 5), TestAccount.Alice.PrivateKey));
        chain.SetBalance(Stranger, 77);
        chain.SetBlockGasLimit(50_000);
        Assert.Equal(1UL, chain.Head.Number);

        chain.Reset();
        Assert.Equal(genesis.Hash, chain.Head.Hash);
        Assert.Null(chain.Store.GetHeader(1));
        Assert.Equal(UInt256.Zero, chain.GetBalance(Stranger, BlockSelector.Latest));
        Assert.Equal(0UL, chain.GetTransactionCount(TestAccount.Alice.Address, BlockSelector.Pending));
        Assert.Equal(new ChainProfile().BlockGasLimit, chain.BlockGasLimit);

        chain.SendTransaction(TransactionSigner.Sign(Transfer(chain, TestAccount.Alice.Address, Stranger, 3), TestAccount.Alice.PrivateKey));
        Assert.Equal(1UL, chain.Head.Number);
        Assert.Equal(new UInt256(3), chain.GetBalance(Stranger, BlockSelector.Latest));
    }

    [Fact]
    public void SetChainId_changes_the_id_blocks_execute_with_and_transactions_must_carry()
    {
        var chain = NewChain(out _);
        chain.SetChainId(5);
        Assert.Equal(5UL, chain.ChainId);
        var old = TransactionSigner.Sign(Transfer(chain, TestAccount.Alice.Address, Stranger, 1), TestAccount.Alice.PrivateKey);
        Assert.Contains("chain id", Assert.Throws<TxPoolException>(() => chain.SendTransaction(old)).Message);
        var current = TransactionSigner.Sign(Transfer(chain, TestAccount.Alice.Address, Stranger, 1, chainId: 5), TestAccount.Alice.PrivateKey);
        chain.SendTransaction(current);
        Assert.True(chain.GetReceipt(current.Hash)!.Success);
        Assert.Equal(ChainException.InvalidParamsCode, Assert.Throws<ChainException>(() => chain.SetChainId(0)).Code);
    }

    [Fact]
    public void Simulate_replaces_storage_with_a_state_override_and_leaves_the_chain_alone()
    {
        var chain = NewChain(out _);
        var box = Address.Parse("0x0000000000000000000000000000000000000b0c");
        var code = StorageRuntime();
        chain.SetCode(box, code);
        chain.SetStorageAt(box, 0, 11);
        chain.SetStorageAt(box, 1, 12);
        chain.Mine();
        var head = chain.Head;

        var blocks = chain.Simulate(new SimulationRequest
        {
            Blocks =
            [
                new SimulatedBlockRequest
                {
                    StateOverrides = [new AccountOverride { Address = box, State = new Dictionary<UInt256, UInt256> { [UInt256.One] = new(42) } }],
                    Calls = [new CallRequest { To = box }],
                },
            ],
        }, BlockSelector.Latest);

        var block = Assert.Single(blocks);
        // The override replaced the whole storage: slot 0 (11 on the chain) reads as zero.
        Assert.Equal(UInt256.Zero, new Hash256(block.Results[0].Output).ToUInt256());
        Assert.Equal(head.Hash, block.Block.Header.ParentHash);
        Assert.Equal(head.Timestamp + MemberChain.SimulationTimestampIncrement, block.Block.Header.Timestamp);
        // Nothing reached the chain, and the replaced storage kept the code.
        Assert.Equal(head.Hash, chain.Head.Hash);
        Assert.Equal(new UInt256(12), chain.GetStorageAt(box, UInt256.One, BlockSelector.Latest));
        Assert.Equal(code, chain.GetCode(box, BlockSelector.Latest));
    }
}
