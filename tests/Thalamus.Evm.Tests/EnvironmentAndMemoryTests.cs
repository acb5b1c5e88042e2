using Thalamus.Core;
using Xunit;

namespace Thalamus.Evm.Tests;

/// <summary>Push/dup/swap, memory instructions, and the environment and block opcodes.</summary>
public sealed class EnvironmentAndMemoryTests
{
    private static UInt256 Word(byte[] output, int index = 0) => UInt256.FromBigEndian(output.AsSpan(32 * index, 32));

    [Fact]
    public void Every_push_width_pushes_its_bytes_big_endian()
    {
        for (var n = 1; n <= 32; n++)
        {
            var data = new byte[n];
            for (var i = 0; i < n; i++) data[i] = (byte)(0xa0 + i);
            var output = new CodeRunner(new Bytecode().PushBytes(data).ReturnTop()).Run([], 100_000).Output;
            Assert.Equal(UInt256.FromBigEndian(data), Word(output));
        }
    }

    [Fact]
    public void Dup_and_swap_reach_sixteen_deep()
    {
        var code = new Bytecode();
        for (ulong i = 1; i <= 17; i++) code.Push(i); // stack (top first): 17, 16, ..., 1
        code.Op(Op.SWAP16);                          // 1, 16, 15, ..., 2, 17
        code.Op(Op.DUP16);                           // 2, 1, 16, ..., 2, 17
        code.Push(0).Op(Op.MSTORE);                  // writes 2
        code.Push(32).Op(Op.MSTORE);                 // writes 1
        code.Push(64).Push(0).Op(Op.RETURN);
        var output = new CodeRunner(code).Run([], 100_000).Output;
        Assert.Equal(new UInt256(2), Word(output, 0));
        Assert.Equal(new UInt256(1), Word(output, 1));
    }

    [Fact]
    public void Mstore8_msize_and_mload()
    {
        var code = new Bytecode().Push(0xff).Push(33).Op(Op.MSTORE8)   // memory grows to 64
            .Op(Op.MSIZE).Push(64).Op(Op.MSTORE)                       // then to 96
            .Push(32).Op(Op.MLOAD).Push(96).Op(Op.MSTORE)
            .Push(128).Push(0).Op(Op.RETURN);
        var output = new CodeRunner(code).Run([], 100_000).Output;
        Assert.Equal(new UInt256(64), Word(output, 2));
        Assert.Equal(new UInt256(0, 0, 0, 0x00ff_0000_0000_0000), Word(output, 3));
    }

    [Fact]
    public void Mcopy_handles_overlap_as_memmove()
    {
        var code = new Bytecode().Push(UInt256.FromBigEndian(Hex.Decode("0102030405060708"))).Push(0).Op(Op.MSTORE)
            .Push(8).Push(24).Push(26).Op(Op.MCOPY) // copy bytes 24..32 to 26..34
            .Push(64).Push(0).Op(Op.RETURN);
        var output = new CodeRunner(code).Run([], 100_000).Output;
        Assert.Equal(Hex.Decode("01020102030405060708"), output.AsSpan(24, 10).ToArray());
    }

    [Fact]
    public void Calldataload_pads_with_zeros_past_the_end()
    {
        var runner = new CodeRunner(new Bytecode().Push(1).Op(Op.CALLDATALOAD).ReturnTop());
        var output = runner.Run(Hex.Decode("aabbcc"), 100_000).Output;
        Assert.Equal(Hex.Decode("bbcc" + new string('0', 60)), output);
        var far = new CodeRunner(new Bytecode().Push(UInt256.MaxValue).Op(Op.CALLDATALOAD).ReturnTop()).Run([1, 2], 100_000).Output;
        Assert.Equal(UInt256.Zero, Word(far));
    }

    [Fact]
    public void Codecopy_and_codesize_see_the_running_code()
    {
        var code = new Bytecode().Op(Op.CODESIZE).Push(0).Push(0).Op(Op.CODECOPY).Op(Op.CODESIZE).Push(0).Op(Op.RETURN).Build();
        Assert.Equal(code, new CodeRunner(code).Run([], 100_000).Output);
    }

    [Fact]
    public void Block_and_transaction_values_are_visible()
    {
        var world = new TestWorld();
        world.Block.BaseFee = new UInt256(7);
        world.Block.BlobBaseFee = new UInt256(3);
        world.Block.PrevRandao = Hash256.FromUInt256(new UInt256(0x1234));
        world.Block.BlockHashProvider = n => Hash256.FromUInt256(new UInt256(n * 10));
        world.Transaction.GasPrice = new UInt256(9);
        world.Transaction.BlobVersionedHashes = [Hash256.FromUInt256(new UInt256(0x0100))];
        byte[] ops = [Op.COINBASE, Op.TIMESTAMP, Op.NUMBER, Op.PREVRANDAO, Op.GASLIMIT, Op.CHAINID, Op.BASEFEE,
            Op.BLOBBASEFEE, Op.GASPRICE, Op.ORIGIN];
        var code = new Bytecode();
        for (var i = 0; i < ops.Length; i++) code.Op(ops[i]).Push((ulong)(32 * i)).Op(Op.MSTORE);
        code.Push(99).Op(Op.BLOCKHASH).Push(320).Op(Op.MSTORE);   // 99 is within the last 256 blocks
        code.Push(100).Op(Op.BLOCKHASH).Push(352).Op(Op.MSTORE);  // the current block is not
        code.Push(0).Op(Op.BLOBHASH).Push(384).Op(Op.MSTORE);
        code.Push(1).Op(Op.BLOBHASH).Push(416).Op(Op.MSTORE);
        code.Push(448).Push(0).Op(Op.RETURN);
        var output = world.Call(world.Deploy(1, code)).Output;

        UInt256[] expected =
        [
            TestWorld.Coinbase.ToUInt256(), new(1_700_000_000), new(100), new(0x1234), new(30_000_000), new(1), new(7),
            new(3), new(9), TestWorld.Sender.ToUInt256(), new(990), UInt256.Zero, new(0x0100), UInt256.Zero,
        ];
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], Word(output, i));
    }

    [Fact]
    public void Extcodehash_is_zero_for_absent_and_empty_accounts()
    {
        var world = new TestWorld();
        var contract = world.Deploy(2, [0x00]);
        var empty = TestWorld.At(7);
        world.State.CreateAccount(empty);
        var code = new Bytecode()
            .Push(contract).Op(Op.EXTCODEHASH).Push(0).Op(Op.MSTORE)
            .Push(empty).Op(Op.EXTCODEHASH).Push(32).Op(Op.MSTORE)
            .Push(TestWorld.At(8)).Op(Op.EXTCODEHASH).Push(64).Op(Op.MSTORE)
            .Push(TestWorld.Sender).Op(Op.EXTCODEHASH).Push(96).Op(Op.MSTORE)
            .Push(contract).Op(Op.EXTCODESIZE).Push(128).Op(Op.MSTORE)
            .Push(160).Push(0).Op(Op.RETURN);
        var output = world.Call(world.Deploy(1, code)).Output;
        Assert.Equal(Keccak256.Compute([0x00]).ToUInt256(), Word(output, 0));
        Assert.Equal(UInt256.Zero, Word(output, 1));
        Assert.Equal(UInt256.Zero, Word(output, 2));
        Assert.Equal(Keccak256.OfEmpty.ToUInt256(), Word(output, 3)); // funded, no code
        Assert.Equal(UInt256.One, Word(output, 4));
    }

    [Fact]
    public void Jumpdest_analysis_skips_push_data()
    {
        var info = new CodeInfo(Hex.Decode("5b605b5b7f" + new string('5', 64) + "5b"));
        Assert.True(info.IsValidJumpDestination(0));
        Assert.False(info.IsValidJumpDestination(2)); // the PUSH1's data
        Assert.True(info.IsValidJumpDestination(3));
        for (var i = 5; i < 37; i++) Assert.False(info.IsValidJumpDestination(i)); // PUSH32 data
        Assert.True(info.IsValidJumpDestination(37));
        Assert.False(info.IsValidJumpDestination(38));
        Assert.False(info.IsValidJumpDestination(-1));
    }

    [Fact]
    public void Contract_addresses_match_known_vectors()
    {
        var sender = Address.Parse("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0");
        Assert.Equal(Address.Parse("0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d"), ContractAddress.From(sender, 0));
        Assert.Equal(Address.Parse("0x343c43a37d37dff08ae8c4a11544c718abb4fcf8"), ContractAddress.From(sender, 1));
        Assert.Equal(Address.Parse("0xf778b86fa74e846c4f0a1fbd1335fe81c00a0c91"), ContractAddress.From(sender, 2));
        Assert.Equal(Address.Parse("0xfffd933a0bc612844eaf0c6fe3e5b8e9b6c1d19c"), ContractAddress.From(sender, 3));

        // EIP-1014's examples.
        Assert.Equal(Address.Parse("0x4D1A2e2bB4F88F0250f26Ffff098B0b30B26BF38"),
            ContractAddress.From(Address.Zero, UInt256.Zero, Keccak256.Compute([0x00])));
        Assert.Equal(Address.Parse("0xB928f69Bb1D91Cd65274e3c79d8986362984fDA3"),
            ContractAddress.From(Address.Parse("0xdeadbeef00000000000000000000000000000000"), UInt256.Zero, Keccak256.Compute([0x00])));
        Assert.Equal(Address.Parse("0x60f3f640a8508fC6a86d45DF051962668E1e8AC7"),
            ContractAddress.From(Address.Parse("0x00000000000000000000000000000000deadbeef"), new UInt256(0xcafebabe), Keccak256.Compute(Hex.Decode("deadbeef"))));
        Assert.Equal(Address.Parse("0xE33C0C7F7df4809055C3ebA6c09CFe4BaF1BD9e0"),
            ContractAddress.From(Address.Zero, UInt256.Zero, Keccak256.Compute([])));
    }
}
