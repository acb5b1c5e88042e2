using Thalamus.Core;
using Xunit;
using static Thalamus.Chain.Tests.Node.ChainTestKit;

namespace Thalamus.Chain.Tests.Node;

/// <summary>eth_createAccessList: what a call touches, with geth's exclusions, for contracts reading each other.</summary>
public class MemberChainAccessListTests
{
    private static readonly TestAccount Alice = TestAccount.Alice;
    private static readonly Address Reader = Address.Parse("0x00000000000000000000000000000000000a0001");
    private static readonly Address Store = Address.Parse("0x00000000000000000000000000000000000b0002");
    private static readonly Address Watched = Address.Parse("0x00000000000000000000000000000000000c0003");
    private static readonly Address Grumpy = Address.Parse("0x00000000000000000000000000000000000d0004");
    private static readonly Address Caller = Address.Parse("0x00000000000000000000000000000000000e0005");
    private static readonly Address Identity = Address.Parse("0x0000000000000000000000000000000000000004");

    private static byte[] Word(Address address)
    {
        var word = new byte[32];
        address.Bytes.CopyTo(word.AsSpan(12));
        return word;
    }

    /// <summary>STATICCALL(gas, target, no input, output to mem[0..32]) and POP the status.</summary>
    private static void StaticCall(Assembler a, Address target) =>
        a.Push(32).Push(0).Push(0).Push(0).Push32(Word(target)).Op(0x5a).Op(0xfa).Op(0x50);

    /// <summary>Store: returns its slot 5.</summary>
    private static byte[] StoreRuntime() =>
        new Assembler().Push(5).Op(0x54).Push(0).Op(0x52).Push(32).Push(0).Op(0xf3).Build();

    /// <summary>
    /// Reader: SLOADs its own slot 1, BALANCEs the caller and <see cref="Watched"/>, calls the
    /// identity precompile, then returns what <see cref="Store"/> returns.
    /// </summary>
    private static byte[] ReaderRuntime()
    {
        var a = new Assembler();
        a.Push(1).Op(0x54).Op(0x50);                       // SLOAD(1) POP
        a.Op(0x33).Op(0x31).Op(0x50);                      // BALANCE(CALLER) POP
        a.Push32(Word(Watched)).Op(0x31).Op(0x50);         // BALANCE(Watched) POP
        StaticCall(a, Identity);
        StaticCall(a, Store);
        a.Push(32).Push(0).Op(0xf3);                       // RETURN mem[0..32]
        return a.Build();
    }

    /// <summary>Grumpy: SLOADs slot 9, then reverts.</summary>
    private static byte[] GrumpyRuntime() => new Assembler().Push(9).Op(0x54).Op(0x50).Push(0).Push(0).Op(0xfd).Build();

    /// <summary>Caller: calls <see cref="Grumpy"/> (which reverts) and succeeds anyway.</summary>
    private static byte[] CallerRuntime()
    {
        var a = new Assembler();
        StaticCall(a, Grumpy);
        a.Op(0x00);
        return a.Build();
    }

    private static MemberChain NewAccessChain() => NewChain(out _, genesis: Genesis(
        (Reader, new GenesisAccount { Code = ReaderRuntime(), Storage = new Dictionary<UInt256, UInt256> { [UInt256.One] = 11 } }),
        (Store, new GenesisAccount { Code = StoreRuntime(), Storage = new Dictionary<UInt256, UInt256> { [new UInt256(5)] = 77 } }),
        (Watched, new GenesisAccount { Balance = 1 }),
        (Grumpy, new GenesisAccount { Code = GrumpyRuntime() }),
        (Caller, new GenesisAccount { Code = CallerRuntime() })));

    private static void AssertEntries(IReadOnlyList<AccessListEntry> actual, params (Address Address, ulong[] Slots)[] expected)
    {
        Assert.Equal(expected.Select(e => e.Address), actual.Select(e => e.Address));
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i].Slots.Select(s => new UInt256(s)), actual[i].StorageKeys);
    }

    [Fact]
    public void Lists_the_other_contracts_storage_and_accounts_but_not_sender_or_precompiles()
    {
        var chain = NewAccessChain();
        var request = new CallRequest { From = Alice.Address, To = Reader };
        var result = chain.CreateAccessList(request, BlockSelector.Latest);

        Assert.Null(result.Error);
        // Sorted by address: Reader (the recipient, listed for its slot only, as geth does), Store, Watched.
        AssertEntries(result.AccessList, (Reader, [1]), (Store, [5]), (Watched, []));

        // The gas reported is what the call uses with that list, which still returns Store's value.
        var withList = chain.Call(new CallRequest { From = Alice.Address, To = Reader, AccessList = result.AccessList }, BlockSelector.Latest);
        Assert.True(withList.Success);
        Assert.Equal(result.GasUsed, withList.GasUsed);
        Assert.Equal(new UInt256(77), UInt256.FromBigEndian(withList.ReturnData));
        Assert.NotEqual(chain.Call(request, BlockSelector.Latest).GasUsed, result.GasUsed);
    }

    [Fact]
    public void Keeps_the_given_entries_and_adds_what_the_call_touches()
    {
        var chain = NewAccessChain();
        var extra = Address.Parse("0x00000000000000000000000000000000000f0006");
        var request = new CallRequest
        {
            From = Alice.Address,
            To = Reader,
            AccessList = [new AccessListEntry(extra, [new UInt256(0x42)]), new AccessListEntry(Store, [new UInt256(6)])],
        };
        var result = chain.CreateAccessList(request, BlockSelector.Latest);
        AssertEntries(result.AccessList, (Reader, [1]), (Store, [5, 6]), (Watched, []), (extra, [0x42]));
    }

    [Fact]
    public void Accesses_in_a_reverted_frame_are_listed()
    {
        var chain = NewAccessChain();
        var result = chain.CreateAccessList(new CallRequest { From = Alice.Address, To = Caller }, BlockSelector.Latest);
        Assert.Null(result.Error);
        AssertEntries(result.AccessList, (Grumpy, [9]));
    }

    [Fact]
    public void A_reverting_call_reports_the_error_with_its_list()
    {
        var chain = NewAccessChain();
        var result = chain.CreateAccessList(new CallRequest { From = Alice.Address, To = Grumpy }, BlockSelector.Latest);
        Assert.Equal("execution reverted", result.Error);
        AssertEntries(result.AccessList, (Grumpy, [9]));
        Assert.True(result.GasUsed > 21_000);
    }

    [Fact]
    public void A_creation_lists_what_the_init_code_reads_but_not_the_new_address()
    {
        var chain = NewAccessChain();
        // Init code: SLOAD its own slot 3, BALANCE(Watched), then deploy nothing.
        var init = new Assembler().Push(3).Op(0x54).Op(0x50).Push32(Word(Watched)).Op(0x31).Op(0x50).Op(0x00).Build();
        var result = chain.CreateAccessList(new CallRequest { From = Alice.Address, Data = init }, BlockSelector.Latest);
        Assert.Null(result.Error);
        var created = Thalamus.Evm.ContractAddress.From(Alice.Address, chain.GetTransactionCount(Alice.Address, BlockSelector.Latest));
        var expected = new List<(Address, ulong[])> { (created, [3]), (Watched, []) };
        expected.Sort((x, y) => x.Item1.Bytes.SequenceCompareTo(y.Item1.Bytes));
        AssertEntries(result.AccessList, [.. expected]);
    }

    [Fact]
    public void A_plain_transfer_needs_no_list()
    {
        var chain = NewAccessChain();
        var result = chain.CreateAccessList(new CallRequest { From = Alice.Address, To = Watched, Value = 1 }, BlockSelector.Latest);
        Assert.Empty(result.AccessList);
        Assert.Equal(21_000UL, result.GasUsed);
        Assert.Null(result.Error);
    }

    [Fact]
    public void An_invalid_call_is_an_error()
    {
        var chain = NewAccessChain();
        var broke = Address.Parse("0x00000000000000000000000000000000000000b0");
        var error = Assert.Throws<ChainException>(() => chain.CreateAccessList(
            new CallRequest { From = broke, To = Reader, GasPrice = Gwei(10) }, BlockSelector.Latest));
        Assert.StartsWith("failed to apply transaction: insufficient funds", error.Message);
        Assert.Throws<ChainException>(() => chain.CreateAccessList(new CallRequest { To = Reader }, BlockSelector.FromNumber(50)));
    }
}
