using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Thalamus.Core;

namespace Thalamus.Evm;

// The dispatch loop: one dense switch on the opcode byte (a jump table). The program counter,
// stack pointer and gas live in locals (registers) for the whole loop; instructions that touch
// the world state or run long live in Instructions/ and see the frame through its fields, so the
// loop stores those three locals before calling them and reloads them after. Nothing here
// allocates per instruction and no exception is used for control flow: a halt is a return code.
public sealed partial class VirtualMachine
{
    [SkipLocalsInit]
    private FrameExit Interpret<TTrace>(EvmFrame f) where TTrace : struct, ITraceMode
    {
        var codeInfo = f.Code;
        ref var code = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(codeInfo.Padded), CodeInfo.FrontPadding);
        ref var jumpdests = ref MemoryMarshal.GetArrayDataReference(codeInfo.JumpDests);
        var codeLength = (ulong)codeInfo.Length;
        ref var stack = ref MemoryMarshal.GetArrayDataReference(f.Stack);
        ref var table = ref MemoryMarshal.GetArrayDataReference(OpcodeTable.CancunArray);
        var sp = f.StackSize;
        var gas = f.Gas;
        var pc = f.Pc;
        var traceOpen = false;
        FrameExit exit;

        while (true)
        {
            int op = Unsafe.Add(ref code, pc);
            if (TTrace.Enabled)
            {
                if (traceOpen) _tracer!.OnStepEnd(gas, null);
                TraceStep(f, pc, sp, gas, op);
                traceOpen = true;
            }

            ref readonly var info = ref Unsafe.Add(ref table, op);
            gas -= info.StaticGas;
            if (gas < 0) goto OutOfGas;
            if ((uint)(sp - info.MinStack) > (uint)info.StackSlack)
            {
                exit = sp < info.MinStack ? FrameExit.StackUnderflow : FrameExit.StackOverflow;
                goto Fail;
            }

            switch (op)
            {
                case 0x00: // STOP
                    exit = FrameExit.Stop;
                    goto Halt;

                // ---- arithmetic: a is the top (popped), b the second (replaced by the result) ----
                case 0x01: // ADD
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    UInt256.Add(in a, in b, out b);
                    pc++;
                    continue;
                }
                case 0x02: // MUL
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    UInt256.Multiply(in a, in b, out b);
                    pc++;
                    continue;
                }
                case 0x03: // SUB
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    UInt256.Subtract(in a, in b, out b);
                    pc++;
                    continue;
                }
                case 0x04: // DIV
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    if (((a.U1 | a.U2 | a.U3 | b.U1 | b.U2 | b.U3) == 0) && b.U0 != 0) b = new UInt256(a.U0 / b.U0);
                    else UInt256.Divide(in a, in b, out b);
                    pc++;
                    continue;
                }
                case 0x05: // SDIV
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    UInt256.SignedDivide(in a, in b, out b);
                    pc++;
                    continue;
                }
                case 0x06: // MOD
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    if (((a.U1 | a.U2 | a.U3 | b.U1 | b.U2 | b.U3) == 0) && b.U0 != 0) b = new UInt256(a.U0 % b.U0);
                    else UInt256.Mod(in a, in b, out b);
                    pc++;
                    continue;
                }
                case 0x07: // SMOD
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    UInt256.SignedMod(in a, in b, out b);
                    pc++;
                    continue;
                }
                case 0x08: // ADDMOD
                {
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    ref var b = ref Unsafe.Add(ref stack, sp - 2);
                    ref var m = ref Unsafe.Add(ref stack, sp - 3);
                    UInt256.AddMod(in a, in b, in m, out m);
                    sp -= 2;
                    pc++;
                    continue;
                }
                case 0x09: // MULMOD
                {
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    ref var b = ref Unsafe.Add(ref stack, sp - 2);
                    ref var m = ref Unsafe.Add(ref stack, sp - 3);
                    UInt256.MulMod(in a, in b, in m, out m);
                    sp -= 2;
                    pc++;
                    continue;
                }
                case 0x0a: // EXP: 50 gas per byte of the exponent
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    gas -= GasCosts.ExpByte * b.ByteLength;
                    if (gas < 0) goto OutOfGas;
                    UInt256.Exp(in a, in b, out b);
                    pc++;
                    continue;
                }
                case 0x0b: // SIGNEXTEND
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    UInt256.SignExtend(in a, in b, out b);
                    pc++;
                    continue;
                }

                // ---- comparison and bitwise ----
                case 0x10: // LT
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    b = UInt256.LessThan(in a, in b) ? UInt256.One : default;
                    pc++;
                    continue;
                }
                case 0x11: // GT
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    b = UInt256.LessThan(in b, in a) ? UInt256.One : default;
                    pc++;
                    continue;
                }
                case 0x12: // SLT
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    b = UInt256.SignedLessThan(in a, in b) ? UInt256.One : default;
                    pc++;
                    continue;
                }
                case 0x13: // SGT
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    b = UInt256.SignedLessThan(in b, in a) ? UInt256.One : default;
                    pc++;
                    continue;
                }
                case 0x14: // EQ
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    b = a.Equals(b) ? UInt256.One : default;
                    pc++;
                    continue;
                }
                case 0x15: // ISZERO
                {
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    a = a.IsZero ? UInt256.One : default;
                    pc++;
                    continue;
                }
                case 0x16: // AND
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    b = new UInt256(a.U0 & b.U0, a.U1 & b.U1, a.U2 & b.U2, a.U3 & b.U3);
                    pc++;
                    continue;
                }
                case 0x17: // OR
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    b = new UInt256(a.U0 | b.U0, a.U1 | b.U1, a.U2 | b.U2, a.U3 | b.U3);
                    pc++;
                    continue;
                }
                case 0x18: // XOR
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    b = new UInt256(a.U0 ^ b.U0, a.U1 ^ b.U1, a.U2 ^ b.U2, a.U3 ^ b.U3);
                    pc++;
                    continue;
                }
                case 0x19: // NOT
                {
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    a = new UInt256(~a.U0, ~a.U1, ~a.U2, ~a.U3);
                    pc++;
                    continue;
                }
                case 0x1a: // BYTE
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    UInt256.Byte(in a, in b, out b);
                    pc++;
                    continue;
                }
                case 0x1b: // SHL
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    if (a.IsUInt64 && a.U0 < 256) UInt256.ShiftLeft(in b, (int)a.U0, out b);
                    else b = default;
                    pc++;
                    continue;
                }
                case 0x1c: // SHR
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    if (a.IsUInt64 && a.U0 < 256) UInt256.ShiftRight(in b, (int)a.U0, out b);
                    else b = default;
                    pc++;
                    continue;
                }
                case 0x1d: // SAR
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    if (a.IsUInt64 && a.U0 < 256) UInt256.ArithmeticShiftRight(in b, (int)a.U0, out b);
                    else b = b.IsNegative ? UInt256.MaxValue : default;
                    pc++;
                    continue;
                }

                case 0x20: // KECCAK256
                    f.Gas = gas; f.StackSize = sp;
                    exit = OpKeccak256(f);
                    if (exit != FrameExit.Continue) goto HelperExit;
                    gas = f.Gas; sp = f.StackSize; pc++;
                    continue;

                // ---- environment ----
                case 0x30: // ADDRESS
                    Unsafe.Add(ref stack, sp++) = f.Address.ToUInt256();
                    pc++;
                    continue;
                case 0x31: // BALANCE
                    f.Gas = gas; f.StackSize = sp;
                    exit = OpBalance(f);
                    if (exit != FrameExit.Continue) goto HelperExit;
                    gas = f.Gas; pc++;
                    continue;
                case 0x32: // ORIGIN
                    Unsafe.Add(ref stack, sp++) = _tx.Origin.ToUInt256();
                    pc++;
                    continue;
                case 0x33: // CALLER
                    Unsafe.Add(ref stack, sp++) = f.Caller.ToUInt256();
                    pc++;
                    continue;
                case 0x34: // CALLVALUE
                    Unsafe.Add(ref stack, sp++) = f.Value;
                    pc++;
                    continue;
                case 0x35: // CALLDATALOAD
                {
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    a = LoadWordPadded(f.Input, in a);
                    pc++;
                    continue;
                }
                case 0x36: // CALLDATASIZE
                    Unsafe.Add(ref stack, sp++) = new UInt256((ulong)f.Input.Length);
                    pc++;
                    continue;
                case 0x37: // CALLDATACOPY
                    f.Gas = gas; f.StackSize = sp;
                    exit = OpCopy(f, f.Input);
                    if (exit != FrameExit.Continue) goto HelperExit;
                    gas = f.Gas; sp = f.StackSize; pc++;
                    continue;
                case 0x38: // CODESIZE
                    Unsafe.Add(ref stack, sp++) = new UInt256(codeLength);
                    pc++;
                    continue;
                case 0x39: // CODECOPY
                    f.Gas = gas; f.StackSize = sp;
                    exit = OpCopy(f, codeInfo.Code);
                    if (exit != FrameExit.Continue) goto HelperExit;
                    gas = f.Gas; sp = f.StackSize; pc++;
                    continue;
                case 0x3a: // GASPRICE
                    Unsafe.Add(ref stack, sp++) = _tx.GasPrice;
                    pc++;
                    continue;
                case 0x3b: // EXTCODESIZE
                    f.Gas = gas; f.StackSize = sp;
                    exit = OpExtCodeSize(f);
                    if (exit != FrameExit.Continue) goto HelperExit;
                    gas = f.Gas; pc++;
                    continue;
                case 0x3c: // EXTCODECOPY
                    f.Gas = gas; f.StackSize = sp;
                    exit = OpExtCodeCopy(f);
                    if (exit != FrameExit.Continue) goto HelperExit;
                    gas = f.Gas; sp = f.StackSize; pc++;
                    continue;
                case 0x3d: // RETURNDATASIZE
                    Unsafe.Add(ref stack, sp++) = new UInt256((ulong)f.ReturnData.Length);
                    pc++;
                    continue;
                case 0x3e: // RETURNDATACOPY
                    f.Gas = gas; f.StackSize = sp;
                    exit = OpReturnDataCopy(f);
                    if (exit != FrameExit.Continue) goto HelperExit;
                    gas = f.Gas; sp = f.StackSize; pc++;
                    continue;
                case 0x3f: // EXTCODEHASH
                    f.Gas = gas; f.StackSize = sp;
                    exit = OpExtCodeHash(f);
                    if (exit != FrameExit.Continue) goto HelperExit;
                    gas = f.Gas; pc++;
                    continue;

                // ---- block ----
                case 0x40: // BLOCKHASH
                {
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    a = BlockHash(in a);
                    pc++;
                    continue;
                }
                case 0x41: // COINBASE
                    Unsafe.Add(ref stack, sp++) = _block.Coinbase.ToUInt256();
                    pc++;
                    continue;
                case 0x42: // TIMESTAMP
                    Unsafe.Add(ref stack, sp++) = new UInt256(_block.Timestamp);
                    pc++;
                    continue;
                case 0x43: // NUMBER
                    Unsafe.Add(ref stack, sp++) = new UInt256(_block.Number);
                    pc++;
                    continue;
                case 0x44: // PREVRANDAO
                    Unsafe.Add(ref stack, sp++) = _block.PrevRandao.ToUInt256();
                    pc++;
                    continue;
                case 0x45: // GASLIMIT
                    Unsafe.Add(ref stack, sp++) = new UInt256((ulong)_block.GasLimit);
                    pc++;
                    continue;
                case 0x46: // CHAINID
                    Unsafe.Add(ref stack, sp++) = new UInt256(_block.ChainId);
                    pc++;
                    continue;
                case 0x47: // SELFBALANCE
                    Unsafe.Add(ref stack, sp++) = _state.GetBalance(f.Address);
                    pc++;
                    continue;
                case 0x48: // BASEFEE
                    Unsafe.Add(ref stack, sp++) = _block.BaseFee;
                    pc++;
                    continue;
                case 0x49: // BLOBHASH
                {
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    var hashes = _tx.BlobVersionedHashes;
                    a = a.IsUInt64 && a.U0 < (ulong)hashes.Length ? hashes[(int)a.U0].ToUInt256() : default;
                    pc++;
                    continue;
                }
                case 0x4a: // BLOBBASEFEE
                    Unsafe.Add(ref stack, sp++) = _block.BlobBaseFee;
                    pc++;
                    continue;

                // ---- stack, memory, storage, flow ----
                case 0x50: // POP
                    sp--;
                    pc++;
                    continue;
                case 0x51: // MLOAD
                {
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    if ((a.U1 | a.U2 | a.U3) != 0 || a.U0 > EvmMemory.MaxSize) goto OutOfGas;
                    var memory = f.Memory;
                    var end = a.U0 + 32;
                    if (end > (ulong)memory.Size)
                    {
                        gas -= memory.ExpansionCost(end);
                        if (gas < 0) goto OutOfGas;
                        memory.Grow(end);
                    }
                    a = memory.ReadWord(a.U0);
                    pc++;
                    continue;
                }
                case 0x52: // MSTORE
                {
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    if ((a.U1 | a.U2 | a.U3) != 0 || a.U0 > EvmMemory.MaxSize) goto OutOfGas;
                    var memory = f.Memory;
                    var end = a.U0 + 32;
                    if (end > (ulong)memory.Size)
                    {
                        gas -= memory.ExpansionCost(end);
                        if (gas < 0) goto OutOfGas;
                        memory.Grow(end);
                    }
                    memory.WriteWord(a.U0, in Unsafe.Add(ref stack, sp - 2));
                    sp -= 2;
                    pc++;
                    continue;
                }
                case 0x53: // MSTORE8
                {
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    if ((a.U1 | a.U2 | a.U3) != 0 || a.U0 > EvmMemory.MaxSize) goto OutOfGas;
                    var memory = f.Memory;
                    var end = a.U0 + 1;
                    if (end > (ulong)memory.Size)
                    {
                        gas -= memory.ExpansionCost(end);
                        if (gas < 0) goto OutOfGas;
                        memory.Grow(end);
                    }
                    Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(memory.Buffer), (nint)a.U0) = (byte)Unsafe.Add(ref stack, sp - 2).U0;
                    sp -= 2;
                    pc++;
                    continue;
                }
                case 0x54: // SLOAD
                    f.Gas = gas; f.StackSize = sp;
                    exit = OpSload(f);
                    if (exit != FrameExit.Continue) goto HelperExit;
                    gas = f.Gas; pc++;
                    continue;
                case 0x55: // SSTORE
                    f.Gas = gas; f.StackSize = sp;
                    exit = OpSstore(f);
                    if (exit != FrameExit.Continue) goto HelperExit;
                    gas = f.Gas; sp = f.StackSize; pc++;
                    continue;
                case 0x56: // JUMP
                {
                    ref var d = ref Unsafe.Add(ref stack, --sp);
                    if ((d.U1 | d.U2 | d.U3) != 0 || d.U0 >= codeLength
                        || ((Unsafe.Add(ref jumpdests, (nint)(d.U0 >> 6)) >> (int)(d.U0 & 63)) & 1) == 0)
                        goto InvalidJump;
                    pc = (int)d.U0;
                    continue;
                }
                case 0x57: // JUMPI
                {
                    sp -= 2;
                    if (Unsafe.Add(ref stack, sp).IsZero)
                    {
                        pc++;
                        continue;
                    }
                    ref var d = ref Unsafe.Add(ref stack, sp + 1);
                    if ((d.U1 | d.U2 | d.U3) != 0 || d.U0 >= codeLength
                        || ((Unsafe.Add(ref jumpdests, (nint)(d.U0 >> 6)) >> (int)(d.U0 & 63)) & 1) == 0)
                        goto InvalidJump;
                    pc = (int)d.U0;
                    continue;
                }
                case 0x58: // PC
                    Unsafe.Add(ref stack, sp++) = new UInt256((ulong)pc);
                    pc++;
                    continue;
                case 0x59: // MSIZE
                    Unsafe.Add(ref stack, sp++) = new UInt256((ulong)f.Memory.Size);
                    pc++;
                    continue;
                case 0x5a: // GAS
                    Unsafe.Add(ref stack, sp++) = new UInt256((ulong)gas);
                    pc++;
                    continue;
                case 0x5b: // JUMPDEST
                    pc++;
                    continue;
                case 0x5c: // TLOAD
                {
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    a = _state.GetTransientStorage(f.Address, in a);
                    pc++;
                    continue;
                }
                case 0x5d: // TSTORE
                    if (f.IsStatic) { exit = FrameExit.WriteProtection; goto Fail; }
                    sp -= 2;
                    _state.SetTransientStorage(f.Address, in Unsafe.Add(ref stack, sp + 1), in Unsafe.Add(ref stack, sp));
                    pc++;
                    continue;
                case 0x5e: // MCOPY
                    f.Gas = gas; f.StackSize = sp;
                    exit = OpMcopy(f);
                    if (exit != FrameExit.Continue) goto HelperExit;
                    gas = f.Gas; sp = f.StackSize; pc++;
                    continue;

                // ---- push, dup, swap ----
                case 0x5f: // PUSH0
                    Unsafe.Add(ref stack, sp++) = default;
                    pc++;
                    continue;
                case 0x60: // PUSH1
                    Unsafe.Add(ref stack, sp++) = new UInt256(Unsafe.Add(ref code, pc + 1));
                    pc += 2;
                    continue;
                case 0x61: // PUSH2
                    Unsafe.Add(ref stack, sp++) = new UInt256(BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref code, pc + 1))));
                    pc += 3;
                    continue;
                case 0x62: case 0x63: case 0x64: case 0x65: case 0x66: case 0x67:
                case 0x68: case 0x69: case 0x6a: case 0x6b: case 0x6c: case 0x6d: case 0x6e: case 0x6f:
                case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
                case 0x78: case 0x79: case 0x7a: case 0x7b: case 0x7c: case 0x7d: case 0x7e: case 0x7f:
                {
                    var n = op - 0x5f;
                    Unsafe.Add(ref stack, sp++) = ReadPushData(ref code, pc, n);
                    pc += n + 1;
                    continue;
                }
                case 0x80: case 0x81: case 0x82: case 0x83: case 0x84: case 0x85: case 0x86: case 0x87:
                case 0x88: case 0x89: case 0x8a: case 0x8b: case 0x8c: case 0x8d: case 0x8e: case 0x8f:
                    Unsafe.Add(ref stack, sp) = Unsafe.Add(ref stack, sp - (op - 0x7f));
                    sp++;
                    pc++;
                    continue;
                case 0x90: case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97:
                case 0x98: case 0x99: case 0x9a: case 0x9b: case 0x9c: case 0x9d: case 0x9e: case 0x9f:
                {
                    ref var top = ref Unsafe.Add(ref stack, sp - 1);
                    ref var other = ref Unsafe.Add(ref stack, sp - 1 - (op - 0x8f));
                    (top, other) = (other, top);
                    pc++;
                    continue;
                }

                case 0xa0: case 0xa1: case 0xa2: case 0xa3: case 0xa4: // LOG0..LOG4
                    f.Gas = gas; f.StackSize = sp;
                    exit = OpLog(f, op - 0xa0);
                    if (exit != FrameExit.Continue) goto HelperExit;
                    gas = f.Gas; sp = f.StackSize; pc++;
                    continue;

                // ---- system ----
                case 0xf0: // CREATE
                case 0xf5: // CREATE2
                    f.Gas = gas; f.StackSize = sp;
                    exit = OpCreate(f, op == 0xf5);
                    if (exit != FrameExit.Continue) goto HelperExit;
                    gas = f.Gas; sp = f.StackSize; pc++;
                    continue;
                case 0xf1: // CALL
                case 0xf2: // CALLCODE
                case 0xf4: // DELEGATECALL
                case 0xfa: // STATICCALL
                    f.Gas = gas; f.StackSize = sp;
                    exit = OpCall(f, op);
                    if (exit != FrameExit.Continue) goto HelperExit;
                    gas = f.Gas; sp = f.StackSize; pc++;
                    continue;
                case 0xf3: // RETURN
                case 0xfd: // REVERT
                    f.Gas = gas; f.StackSize = sp;
                    exit = OpReturn(f, op == 0xfd);
                    goto HelperExit;
                case 0xff: // SELFDESTRUCT
                    f.Gas = gas; f.StackSize = sp;
                    exit = OpSelfDestruct(f);
                    goto HelperExit;

                default: // 0xFE INVALID and every undefined opcode
                    exit = FrameExit.InvalidOpcode;
                    goto Fail;
            }
        }

    HelperExit:
        if (exit == FrameExit.CallPending)
        {
            // The child runs next; this frame resumes after the instruction.
            f.Pc = pc + 1;
            if (TTrace.Enabled) _tracer!.OnStepEnd(f.Gas, null);
            return exit;
        }
        if (exit <= FrameExit.Revert)
        {
            gas = f.Gas;
            sp = f.StackSize;
            goto Halt;
        }
        goto Fail;

    OutOfGas:
        exit = FrameExit.OutOfGas;
        goto Fail;

    InvalidJump:
        exit = FrameExit.InvalidJump;
        goto Fail;

    Halt:
        f.Gas = gas;
        f.Pc = pc;
        f.StackSize = sp;
        if (TTrace.Enabled && traceOpen) _tracer!.OnStepEnd(gas, null);
        return exit;

    Fail:
        // Exceptional halt: the frame's gas is gone, whatever it was.
        f.Gas = 0;
        f.Pc = pc;
        f.StackSize = Math.Max(0, sp);
        if (TTrace.Enabled && traceOpen) _tracer!.OnStepEnd(0, ToStatus(exit).ToErrorMessage());
        return exit;
    }

    /// <summary>PUSHn data as a word: n bytes at pc+1, read as big-endian 8-byte windows ending at pc+n (the code is padded both sides).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt256 ReadPushData(ref byte code, int pc, int n)
    {
        ref var window = ref Unsafe.Add(ref code, pc + n - 7);
        var w0 = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref window));
        if (n <= 8) return new UInt256(w0 & LowBytesMask(n));
        var w1 = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref window, -8)));
        if (n <= 16) return new UInt256(w0, w1 & LowBytesMask(n - 8));
        var w2 = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref window, -16)));
        if (n <= 24) return new UInt256(w0, w1, w2 & LowBytesMask(n - 16));
        var w3 = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref window, -24)));
        return new UInt256(w0, w1, w2, w3 & LowBytesMask(n - 24));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong LowBytesMask(int bytes) => bytes >= 8 ? ulong.MaxValue : (1UL << (bytes * 8)) - 1;

    /// <summary>32 bytes of <paramref name="data"/> from <paramref name="offset"/>, zero past the end (CALLDATALOAD).</summary>
    private static UInt256 LoadWordPadded(byte[] data, in UInt256 offset)
    {
        if (!offset.IsUInt64 || offset.U0 >= (ulong)data.Length) return default;
        var start = (int)offset.U0;
        if (data.Length - start >= 32) return UInt256.FromBigEndian(data.AsSpan(start, 32));
        Span<byte> word = stackalloc byte[32];
        word.Clear();
        data.AsSpan(start).CopyTo(word);
        return UInt256.FromBigEndian(word);
    }

    private UInt256 BlockHash(in UInt256 number)
    {
        var current = _block.Number;
        if (!number.IsUInt64 || number.U0 >= current || current - number.U0 > 256 || _block.BlockHashProvider is null) return default;
        return _block.BlockHashProvider(number.U0).ToUInt256();
    }

    private void TraceStep(EvmFrame f, int pc, int sp, long gas, int op)
    {
        _tracer!.OnStep(new ExecutionStep(pc, (byte)op, gas, f.Depth + 1, _refund,
            f.Stack.AsSpan(0, sp), f.Memory.Active, f.ReturnData));
    }
}
