using Thalamus.Core;

namespace Thalamus.Benchmarks;

/// <summary>
/// The one-chain twin of SyncCaller.incrementRemote, as raw bytecode (no compiler in the bench):
/// calldata = counter address word ++ by word; it CALLs counter.increment(by), stores the result
/// in slot 0 (SyncCaller's <c>mirrored</c>), increments slot 1 (<c>localWrites</c>) and returns the
/// result; a failing call reverts. No ABI dispatch, so it is a few hundred gas leaner than Solidity.
/// </summary>
internal static class ClusterLocalCaller
{
    public static byte[] CreationCode()
    {
        var runtime = RuntimeCode();
        // PUSH1 len DUP1 PUSH1 11 PUSH1 0 CODECOPY PUSH1 0 RETURN (11 bytes), then the runtime.
        byte[] init = [0x60, (byte)runtime.Length, 0x80, 0x60, 0x0b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3];
        return [.. init, .. runtime];
    }

    public static byte[] CallData(Address counter, ulong by) => Abi.Encode(counter, by);

    private static byte[] RuntimeCode()
    {
        var code = new List<byte> { 0x63 };
        code.AddRange(Abi.Selector("increment(uint256)").ToArray());
        code.AddRange([
            0x60, 0xe0, 0x1b, 0x60, 0x00, 0x52,             // mem[0..4] = selector
            0x60, 0x20, 0x35, 0x60, 0x04, 0x52,             // mem[4..36] = by
            0x60, 0x20, 0x60, 0x40, 0x60, 0x24, 0x60, 0x00, // retLen, retOff, argsLen, argsOff
            0x60, 0x00, 0x60, 0x00, 0x35, 0x5a, 0xf1,       // value 0, counter, GAS, CALL
            0x15, 0x60, 0x00,                               // ISZERO PUSH1 <revert> (patched below)
        ]);
        var revertOperand = code.Count - 1;
        code.AddRange([
            0x57,                                           // JUMPI
            0x60, 0x40, 0x51, 0x60, 0x00, 0x55,             // slot0 = result
            0x60, 0x01, 0x54, 0x60, 0x01, 0x01, 0x60, 0x01, 0x55, // slot1++
            0x60, 0x20, 0x60, 0x40, 0xf3,                   // return result
        ]);
        var revert = code.Count;
        code.AddRange([0x5b, 0x60, 0x00, 0x80, 0xfd]);      // JUMPDEST PUSH1 0 DUP1 REVERT
        code[revertOperand] = (byte)revert;
        return [.. code];
    }
}
