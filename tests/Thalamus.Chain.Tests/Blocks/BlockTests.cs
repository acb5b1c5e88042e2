using Thalamus.Chain.Tests.Node;
using Thalamus.Core;
using Xunit;

namespace Thalamus.Chain.Tests.Blocks;

public class BlockTests
{
    [Fact]
    public void Block_with_typed_and_legacy_transactions_round_trips()
    {
        var alice = TestAccount.Alice;
        var txs = new[]
        {
            alice.Transfer(0, TestAccount.Bob.Address, 5),
            alice.Legacy(1, TestAccount.Bob.Address, 7, ChainTestKit.Gwei(2)),
        };
        var header = new BlockHeader { Number = 3, GasLimit = 30_000_000, TransactionsRoot = DerivableRoots.Transactions(txs) };
        var block = new Block(header, txs);

        var decoded = Block.Decode(block.Encode());
        Assert.Equal(block.Hash, decoded.Hash);
        Assert.Equal(2, decoded.Transactions.Count);
        Assert.Equal(txs[0].Hash, decoded.Transactions[0].Hash);
        Assert.Equal(txs[1].Hash, decoded.Transactions[1].Hash);
        Assert.Empty(decoded.Withdrawals);
        Assert.Equal(block.Encode(), decoded.Encode());
    }

    [Fact]
    public void A_typed_transaction_is_an_rlp_string_in_the_body()
    {
        var tx = TestAccount.Alice.Transfer(0, TestAccount.Bob.Address, 1);
        var block = new Block(new BlockHeader(), [tx]);
        var fields = new RlpReader(block.Encode()).ReadList();
        fields.Skip();
        var body = fields.ReadList();
        Assert.False(body.NextIsList);
        Assert.Equal(tx.Encode(), body.ReadBytes().ToArray());
    }

    [Fact]
    public void Transactions_root_changes_with_order()
    {
        var a = TestAccount.Alice.Transfer(0, TestAccount.Bob.Address, 1);
        var b = TestAccount.Bob.Transfer(0, TestAccount.Alice.Address, 1);
        Assert.NotEqual(DerivableRoots.Transactions([a, b]), DerivableRoots.Transactions([b, a]));
        Assert.Equal(Keccak256.OfEmptyList, DerivableRoots.Transactions(Array.Empty<Transaction>()));
    }
}
