using Thalamus.Core;

namespace Thalamus.Chain.Tests.Node;

internal static class ChainTestKit
{
    public const ulong ChainId = 31337;
    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    public static UInt256 Gwei(ulong n) => new UInt256(n) * 1_000_000_000UL;
    public static UInt256 Ether(ulong n) => new UInt256(n) * 1_000_000_000_000_000_000UL;

    public static GenesisConfig Genesis(params (Address Address, GenesisAccount Account)[] extra)
    {
        var alloc = new Dictionary<Address, GenesisAccount>
        {
            [TestAccount.Alice.Address] = new() { Balance = Ether(1000) },
            [TestAccount.Bob.Address] = new() { Balance = Ether(1000) },
        };
        foreach (var (address, account) in extra) alloc[address] = account;
        return new GenesisConfig { ChainId = ChainId, Timestamp = (ulong)Start.ToUnixTimeSeconds(), Alloc = alloc };
    }

    public static MemberChain NewChain(out FakeClock clock, ChainProfile? profile = null, GenesisConfig? genesis = null, IChainStore? store = null)
    {
        clock = new FakeClock(Start + TimeSpan.FromSeconds(10));
        return new MemberChain(profile ?? new ChainProfile { ChainId = ChainId }, genesis ?? Genesis(), store, clock);
    }

    /// <summary>Init code that deploys <paramref name="runtime"/> unchanged.</summary>
    public static byte[] Deployer(byte[] runtime)
    {
        if (runtime.Length > 255) throw new ArgumentException("runtime too long for this deployer");
        // PUSH1 len DUP1 PUSH1 11 PUSH1 0 CODECOPY PUSH1 0 RETURN, then the runtime at offset 11.
        byte[] prefix = [0x60, (byte)runtime.Length, 0x80, 0x60, 0x0b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3];
        return [.. prefix, .. runtime];
    }

    /// <summary>
    /// A one-slot store: empty calldata returns slot 0; 32 bytes of calldata store them in slot 0;
    /// calldata of exactly one byte reverts with Error("nope").
    /// </summary>
    public static byte[] StorageRuntime()
    {
        var a = new Assembler();
        a.Op(0x36).Op(0x15).PushLabel("read").Op(0x57);                 // CALLDATASIZE ISZERO ?read JUMPI
        a.Op(0x36).Push(1).Op(0x14).PushLabel("fail").Op(0x57);         // CALLDATASIZE 1 EQ ?fail JUMPI
        a.Push(0).Op(0x35).Push(0).Op(0x55).Op(0x00);                   // sstore(0, calldataload(0)) STOP
        a.Label("read").Push(0).Op(0x54).Push(0).Op(0x52).Push(32).Push(0).Op(0xf3);
        a.Label("fail");
        EmitRevertWithReason(a, "nope");
        return a.Build();
    }

    public static void EmitRevertWithReason(Assembler a, string reason)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(reason);
        if (bytes.Length > 32) throw new ArgumentException("reason too long");
        var selector = new byte[32];
        Abi.ErrorSelector.WriteTo(selector);
        var text = new byte[32];
        bytes.CopyTo(text, 0);
        a.Push32(selector).Push(0).Op(0x52);             // mem[0..32] = selector
        a.Push(0x20).Push(4).Op(0x52);                   // offset word at 4
        a.Push(bytes.Length).Push(0x24).Op(0x52);        // length word at 36
        a.Push32(text).Push(0x44).Op(0x52);              // text at 68
        a.Push(0x64).Push(0).Op(0xfd);                   // REVERT(0, 100)
    }

    /// <summary>calldata that makes <see cref="StorageRuntime"/> store <paramref name="value"/>.</summary>
    public static byte[] StoreCall(UInt256 value) => value.ToBigEndian();

    public static readonly Hash256 TransferTopic = Abi.EventTopic("Transfer(address,address,uint256)");
    public static readonly AbiSelector Transfer = Abi.Selector("transfer(address,uint256)");
    public static readonly AbiSelector BalanceOf = Abi.Selector("balanceOf(address)");

    /// <summary>
    /// An ERC-20-style token: balances in keccak(address . 0); transfer(address,uint256) moves
    /// the amount (reverting when short) and logs Transfer(from, to, amount); balanceOf(address).
    /// </summary>
    public static byte[] TokenRuntime()
    {
        var a = new Assembler();
        a.Push(0).Op(0x35).Push(0xe0).Op(0x1c);                        // selector = calldataload(0) >> 224
        a.Op(0x80).Push4(Transfer.Value).Op(0x14).PushLabel("transfer").Op(0x57);
        a.Push4(BalanceOf.Value).Op(0x14).PushLabel("balanceOf").Op(0x57);
        a.Push(0).Op(0x80).Op(0xfd);                                   // REVERT(0, 0)

        a.Label("transfer");
        a.Op(0x50);                                                    // POP selector
        a.Op(0x33).Push(0).Op(0x52);                                   // mem[0] = caller
        a.Push(0x40).Push(0).Op(0x20);                                 // slotFrom
        a.Op(0x80).Op(0x54);                                           // slotFrom balFrom
        a.Push(0x24).Op(0x35);                                         // .. amount
        a.Op(0x80).Op(0x82).Op(0x10).PushLabel("fail").Op(0x57);       // balFrom < amount ? fail
        a.Op(0x80).Op(0x82).Op(0x03).Op(0x83).Op(0x55);                // sstore(slotFrom, balFrom - amount)
        a.Push(4).Op(0x35).Push(0).Op(0x52);                           // mem[0] = to
        a.Push(0x40).Push(0).Op(0x20);                                 // .. amount slotTo
        a.Op(0x80).Op(0x54).Op(0x82).Op(0x01).Op(0x90).Op(0x55);       // sstore(slotTo, balTo + amount)
        a.Push(0).Op(0x52);                                            // mem[0] = amount
        a.Push(4).Op(0x35).Op(0x33).Push32(TransferTopic.Bytes).Push(0x20).Push(0).Op(0xa3); // LOG3
        a.Op(0x50);                                                    // POP balFrom (slotFrom stays: harmless)
        a.Push(1).Push(0).Op(0x52).Push(0x20).Push(0).Op(0xf3);        // return true

        a.Label("balanceOf");
        a.Push(4).Op(0x35).Push(0).Op(0x52).Push(0x40).Push(0).Op(0x20).Op(0x54);
        a.Push(0).Op(0x52).Push(0x20).Push(0).Op(0xf3);

        a.Label("fail");
        a.Push(0).Op(0x80).Op(0xfd);
        return a.Build();
    }

    /// <summary>The storage slot of <paramref name="holder"/>'s token balance.</summary>
    public static UInt256 BalanceSlot(Address holder)
    {
        var preimage = new byte[64];
        holder.Bytes.CopyTo(preimage.AsSpan(12));
        return Keccak256.Compute(preimage).ToUInt256();
    }

    public static byte[] TransferCall(Address to, UInt256 amount) => Abi.EncodeCall(Transfer, to, amount);

    public static byte[] BalanceOfCall(Address holder) => Abi.EncodeCall(BalanceOf, holder);
}
