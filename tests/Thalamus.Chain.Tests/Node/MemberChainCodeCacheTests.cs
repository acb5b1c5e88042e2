using Thalamus.Core;
using Xunit;
using static Thalamus.Chain.Tests.Node.ChainTestKit;

namespace Thalamus.Chain.Tests.Node;

/// <summary>
/// eth_call finds analysed code by its code hash (the interpreter's cache, shared by every call and
/// block): new code at an address is a new hash, so anvil_setCode is seen by the very next call,
/// and EXTCODESIZE/EXTCODECOPY, which read code through the same cache, agree with it.
/// </summary>
public class MemberChainCodeCacheTests
{
    private static readonly Address Target = Address.Parse("0x00000000000000000000000000000000000c0de1");
    private static readonly Address Probe = Address.Parse("0x00000000000000000000000000000000000c0de2");

    /// <summary>Returns <paramref name="value"/> as one 32-byte word; <paramref name="padding"/> JUMPDESTs after it change the code's size.</summary>
    private static byte[] Returns(byte value, int padding = 0) =>
        [0x60, value, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3, .. Enumerable.Repeat((byte)0x5b, padding)];

    /// <summary>Returns EXTCODESIZE(Target) and the first byte of its code (EXTCODECOPY) as two words.</summary>
    private static byte[] SizeAndFirstByteOfTarget() =>
    [
        0x73, .. Target.Bytes.ToArray(), 0x3b, 0x60, 0x00, 0x52,           // mstore(0, extcodesize(target))
        0x60, 0x01, 0x60, 0x00, 0x60, 0x3f, 0x73, .. Target.Bytes.ToArray(), 0x3c, // extcodecopy(target, 63, 0, 1)
        0x60, 0x40, 0x60, 0x00, 0xf3,                                     // return(0, 64)
    ];

    private static UInt256 Word(byte[] output, int index) => UInt256.FromBigEndian(output.AsSpan(index * 32, 32));

    private static UInt256 CallTarget(MemberChain chain) =>
        UInt256.FromBigEndian(chain.Call(new CallRequest { To = Target }, BlockSelector.Latest).ReturnData);

    [Fact]
    public void New_code_set_at_an_address_is_what_the_next_call_runs()
    {
        var chain = NewChain(out _);
        chain.SetCode(Target, Returns(1));
        Assert.Equal((UInt256)1UL, CallTarget(chain));

        chain.SetCode(Target, Returns(2));
        Assert.Equal((UInt256)2UL, CallTarget(chain));

        // Sealed into a block, then replaced again, and back to code the cache has seen before.
        chain.Mine();
        Assert.Equal((UInt256)2UL, CallTarget(chain));
        chain.SetCode(Target, Returns(3));
        Assert.Equal((UInt256)3UL, CallTarget(chain));
        chain.SetCode(Target, Returns(1));
        Assert.Equal((UInt256)1UL, CallTarget(chain));

        // Removing the code leaves an account without code: the call returns nothing.
        chain.SetCode(Target, []);
        Assert.Empty(chain.Call(new CallRequest { To = Target }, BlockSelector.Latest).ReturnData);
    }

    [Fact]
    public void Extcodesize_and_extcodecopy_see_new_code_at_once()
    {
        var chain = NewChain(out _);
        chain.SetCode(Probe, SizeAndFirstByteOfTarget());
        chain.SetCode(Target, Returns(1));
        var first = chain.Call(new CallRequest { To = Probe }, BlockSelector.Latest).ReturnData;
        Assert.Equal((UInt256)10UL, Word(first, 0));
        Assert.Equal((UInt256)0x60UL, Word(first, 1));

        chain.Mine();
        var before = chain.Head.Number;
        chain.SetCode(Target, [0x5b, .. Returns(1, padding: 90)]);
        var second = chain.Call(new CallRequest { To = Probe }, BlockSelector.Latest).ReturnData;
        Assert.Equal((UInt256)101UL, Word(second, 0));
        Assert.Equal((UInt256)0x5bUL, Word(second, 1));

        // Once sealed, the block before still has the older code: the cache is keyed by hash, not by address.
        chain.Mine();
        Assert.Equal((UInt256)101UL, Word(chain.Call(new CallRequest { To = Probe }, BlockSelector.Latest).ReturnData, 0));
        var old = chain.Call(new CallRequest { To = Probe }, BlockSelector.FromNumber(before)).ReturnData;
        Assert.Equal((UInt256)10UL, Word(old, 0));
    }
}
