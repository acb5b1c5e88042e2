using Thalamus.Core;
using Xunit;
using static Thalamus.Chain.Tests.Node.ChainTestKit;

namespace Thalamus.Chain.Tests.Node;

public class IntervalSealerTests
{
    [Fact]
    public async Task Background_loop_seals_a_due_block_and_stops_on_dispose()
    {
        var chain = NewChain(out var clock, new ChainProfile { ChainId = ChainId, BlockTime = TimeSpan.FromSeconds(1) });
        var sealedBlock = new TaskCompletionSource<Block>(TaskCreationOptions.RunContinuationsAsynchronously);
        chain.BlockSealed += (block, _) => sealedBlock.TrySetResult(block);
        chain.SendTransaction(TestAccount.Alice.Transfer(0, Address.Parse("0x000000000000000000000000000000000000dead"), 1));
        clock.Advance(TimeSpan.FromSeconds(1));

        var sealer = new IntervalSealer(chain, TimeSpan.FromMilliseconds(10));
        sealer.Start();
        var block = await sealedBlock.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await sealer.DisposeAsync();

        Assert.Equal(1UL, block.Number);
        Assert.Single(block.Transactions);
        Assert.Equal(1UL, chain.Head.Number); // the fake clock did not move again: no second block
    }
}
