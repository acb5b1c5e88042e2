using System.Runtime.CompilerServices;
using Thalamus.Core;

namespace Thalamus.Evm;

// The out-of-line half of the dispatch: opcodes that touch the world state, copy data, or are
// rare. Their static gas and stack bounds come from OpcodeTable (geth's jump table in spirit);
// the frame's fields hold pc, stack size and gas on entry, and the handlers update them.
public sealed partial class VirtualMachine
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private FrameExit ExecuteCold(EvmFrame f, int op)
    {
        var info = OpcodeTable.CancunArray[op];
        f.Gas -= info.StaticGas;
        if (f.Gas < 0) return FrameExit.OutOfGas;
        var sp = f.StackSize;
        if ((uint)(sp - info.MinStack) > (uint)info.StackSlack)
            return sp < info.MinStack ? FrameExit.StackUnderflow : FrameExit.StackOverflow;
        var stack = f.Stack;

        switch (op)
        {
            case 0x20: return OpKeccak256(f);
            case 0x31: return OpBalance(f);
            case 0x32: return Push(f, _tx.Origin.ToUInt256());
            case 0x37: return OpCopy(f, f.Input); // CALLDATACOPY
            case 0x38: return Push(f, new UInt256((ulong)f.Code.Length)); // CODESIZE
            case 0x39: return OpCopy(f, f.Code.Code); // CODECOPY
            case 0x3a: return Push(f, _tx.GasPrice);
            case 0x3b: return OpExtCodeSize(f);
            case 0x3c: return OpExtCodeCopy(f);
            case 0x3d: return Push(f, new UInt256((ulong)f.ReturnData.Length));
            case 0x3e: return OpReturnDataCopy(f);
            case 0x3f: return OpExtCodeHash(f);
            case 0x40: // BLOCKHASH
                stack[sp - 1] = BlockHash(stack[sp - 1]);
                return FrameExit.Continue;
            case 0x41: return Push(f, _block.Coinbase.ToUInt256());
            case 0x42: return Push(f, new UInt256(_block.Timestamp));
            case 0x43: return Push(f, new UInt256(_block.Number));
            case 0x44: return Push(f, _block.PrevRandao.ToUInt256());
            case 0x45: return Push(f, new UInt256((ulong)_block.GasLimit));
            case 0x46: return Push(f, new UInt256(_block.ChainId));
            case 0x47: return Push(f, _state.GetBalance(f.Address)); // SELFBALANCE
            case 0x48: return Push(f, _block.BaseFee);
            case 0x49: // BLOBHASH
            {
                ref var index = ref stack[sp - 1];
                var hashes = _tx.BlobVersionedHashes;
                index = index.IsUInt64 && index.U0 < (ulong)hashes.Length ? hashes[(int)index.U0].ToUInt256() : default;
                return FrameExit.Continue;
            }
            case 0x4a: return Push(f, _block.BlobBaseFee);
            case 0x54: return OpSload(f);
            case 0x55: return OpSstore(f);
            case 0x5c: // TLOAD
            {
                ref var slot = ref stack[sp - 1];
                slot = _state.GetTransientStorage(f.Address, slot);
                return FrameExit.Continue;
            }
            case 0x5d: // TSTORE
                if (f.IsStatic) return FrameExit.WriteProtection;
                _state.SetTransientStorage(f.Address, stack[sp - 1], stack[sp - 2]);
                f.StackSize = sp - 2;
                return FrameExit.Continue;
            case 0x5e: return OpMcopy(f);
            case 0xa0: case 0xa1: case 0xa2: case 0xa3: case 0xa4:
                return OpLog(f, op - 0xa0);
            case 0xf0: return OpCreate(f, isCreate2: false);
            case 0xf5: return OpCreate(f, isCreate2: true);
            case 0xf1: case 0xf2: case 0xf4: case 0xfa:
                return OpCall(f, op);
            case 0xf3: return OpReturn(f, isRevert: false);
            case 0xfd: return OpReturn(f, isRevert: true);
            case 0xff: return OpSelfDestruct(f);
            default: // 0xFE INVALID and every undefined opcode
                return FrameExit.InvalidOpcode;
        }
    }

    private static FrameExit Push(EvmFrame f, in UInt256 value)
    {
        f.Stack[f.StackSize++] = value;
        return FrameExit.Continue;
    }
}
