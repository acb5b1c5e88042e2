using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Thalamus.Core;

namespace Thalamus.Evm;

// The dispatch loop: one dense switch on the opcode byte (a jump table) over the hot opcodes,
// each with its static gas and stack bounds as constants; every other opcode goes through
// ExecuteCold, which checks them from OpcodeTable.
//
// Register discipline, which is most of the speed: pc, sp and gas live in locals that are never
// live across a call. Whenever a case must call something that is not inlined, it first stores
// them in the frame (f.Pc / f.StackSize / f.Gas), and after the call it reloads them (label
// Resume) or leaves through a label that reads only the frame. That keeps the JIT's register
// allocator from spilling them on every instruction. Nothing here allocates, and no exception is
// used for control flow: a halt is a return code.
//
// Untraced, the loop dispatches on CodeInfo.Dispatch, where the analysis has marked fused pairs
// (a DUP or a PUSH and the instruction that takes its value) with opcodes of their own; the pair
// runs as one step when both instructions' checks hold. Every write of a stack slot is one 32-byte
// store (EvmWord), so that the next instruction's 32-byte read of it forwards from the store buffer.
public sealed partial class VirtualMachine
{
    // Fully optimised from the first call: the loop would otherwise run as an on-stack-replacement
    // variant until the method has been entered often enough to tier up, which a long-running
    // top-level frame never is.
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private FrameExit Interpret<TTrace>(EvmFrame f) where TTrace : struct, ITraceMode
    {
        // Traced, the loop runs the code itself; untraced, the analysed copy where the first opcode of
        // each fused pair is replaced by the pair's (CodeInfo.Dispatch: same PUSH data, same layout).
        ref var code = ref Unsafe.Add(
            ref MemoryMarshal.GetArrayDataReference(TTrace.Enabled ? f.Code.Padded : f.Code.Dispatch), CodeInfo.FrontPadding);
        ref var stack = ref MemoryMarshal.GetArrayDataReference(f.Stack);
        // Native-sized so that indexing needs no sign extension.
        nint sp = f.StackSize;
        var gas = f.Gas;
        nint pc = f.Pc;
        var traceOpen = false;
        FrameExit exit;
        int op;

        while (true)
        {
            op = Unsafe.Add(ref code, pc);
            if (TTrace.Enabled)
            {
                if (traceOpen) _tracer!.OnStepEnd(gas, null);
                TraceStep(f, (int)pc, (int)sp, gas, op);
                traceOpen = true;
            }

            switch (op)
            {
                case 0x00: // STOP
                    f.Gas = gas;
                    exit = FrameExit.Stop;
                    goto Halt;

                // ---- arithmetic: a is the top (popped), b the second (replaced by the result) ----
                case 0x01: // ADD
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    if (!Avx2.IsSupported && (a.U1 | a.U2 | a.U3 | b.U1 | b.U2 | b.U3) == 0)
                    {
                        // Both below 2^64 (offsets, counters): one add and its carry.
                        var sum = a.U0 + b.U0;
                        EvmWord.Set(ref b, sum, sum < a.U0 ? 1UL : 0UL, 0, 0);
                    }
                    else
                    {
                        EvmWord.AddInto(in a, ref b);
                    }
                    pc++;
                    continue;
                }
                case 0x02: // MUL
                {
                    gas -= 5;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    ref var b = ref Unsafe.Add(ref stack, sp - 2);
                    if ((a.U1 | a.U2 | a.U3 | b.U1 | b.U2 | b.U3) == 0)
                    {
                        var high = Math.BigMul(a.U0, b.U0, out var low);
                        EvmWord.Set(ref b, low, high, 0, 0);
                        sp--;
                        pc++;
                        continue;
                    }
                    if (EvmWord.TryMultiplyByLimbCopies(in a, ref b))
                    {
                        sp--;
                        pc++;
                        continue;
                    }
                    f.Pc = (int)pc; f.StackSize = (int)sp - 1; f.Gas = gas;
                    EvmWord.Multiply(in a, ref b);
                    goto Resume;
                }
                case 0x03: // SUB
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    EvmWord.SubtractInto(in a, ref b);
                    pc++;
                    continue;
                }
                case 0x04: // DIV
                {
                    gas -= 5;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    ref var b = ref Unsafe.Add(ref stack, sp - 2);
                    if ((a.U2 | a.U3 | b.U1 | b.U2 | b.U3) == 0)
                    {
                        // 128-bit by 64-bit: a shift for a power of two (bit fields extracted with DIV:
                        // sha1_divs), else the hardware divide (through UInt128) instead of the general algorithm.
                        var d = b.U0;
                        if (d == 0) AsVector(ref b) = Vector256<ulong>.Zero;
                        else if ((d & (d - 1)) == 0)
                        {
                            var k = BitOperations.TrailingZeroCount(d);
                            EvmWord.Set(ref b, (a.U0 >> k) | ((a.U1 << 1) << (63 - k)), a.U1 >> k, 0, 0);
                        }
                        else if (a.U1 == 0) EvmWord.SetSmall(ref b, a.U0 / d);
                        else b = FromUInt128(new UInt128(a.U1, a.U0) / b.U0);
                        sp--;
                        pc++;
                        continue;
                    }
                    f.Pc = (int)pc; f.StackSize = (int)sp - 1; f.Gas = gas;
                    UInt256.Divide(in a, in b, out b);
                    goto Resume;
                }
                case 0x05: // SDIV
                {
                    gas -= 5;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    ref var b = ref Unsafe.Add(ref stack, sp - 2);
                    if (IsSmallSigned(in a) && IsSmallSigned(in b) && (long)b.U0 != 0)
                    {
                        // Both fit in a long and neither is long.MinValue, so the quotient cannot overflow.
                        b = SignExtend64((long)a.U0 / (long)b.U0);
                        sp--;
                        pc++;
                        continue;
                    }
                    if (IsSigned128(in a) && IsSigned64(in b) && b.U0 != 0)
                    {
                        var quotient = Magnitude128(in a) / Magnitude64(in b);
                        b = Signed(quotient, a.IsNegative != b.IsNegative);
                        sp--;
                        pc++;
                        continue;
                    }
                    f.Pc = (int)pc; f.StackSize = (int)sp - 1; f.Gas = gas;
                    UInt256.SignedDivide(in a, in b, out b);
                    goto Resume;
                }
                case 0x06: // MOD
                {
                    gas -= 5;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    ref var b = ref Unsafe.Add(ref stack, sp - 2);
                    if ((a.U2 | a.U3 | b.U1 | b.U2 | b.U3) == 0)
                    {
                        var d = b.U0;
                        if (d == 0) AsVector(ref b) = Vector256<ulong>.Zero;
                        else if ((d & (d - 1)) == 0) EvmWord.SetSmall(ref b, a.U0 & (d - 1));
                        else if (a.U1 == 0) EvmWord.SetSmall(ref b, a.U0 % d);
                        else b = new UInt256((ulong)(new UInt128(a.U1, a.U0) % b.U0));
                        sp--;
                        pc++;
                        continue;
                    }
                    f.Pc = (int)pc; f.StackSize = (int)sp - 1; f.Gas = gas;
                    UInt256.Mod(in a, in b, out b);
                    goto Resume;
                }
                case 0x07: // SMOD
                {
                    gas -= 5;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    ref var b = ref Unsafe.Add(ref stack, sp - 2);
                    if (IsSmallSigned(in a) && IsSmallSigned(in b) && (long)b.U0 != 0)
                    {
                        b = SignExtend64((long)a.U0 % (long)b.U0);
                        sp--;
                        pc++;
                        continue;
                    }
                    if (IsSigned128(in a) && IsSigned64(in b) && b.U0 != 0)
                    {
                        var remainder = Magnitude128(in a) % Magnitude64(in b);
                        b = Signed(remainder, a.IsNegative); // SMOD takes the dividend's sign
                        sp--;
                        pc++;
                        continue;
                    }
                    f.Pc = (int)pc; f.StackSize = (int)sp - 1; f.Gas = gas;
                    UInt256.SignedMod(in a, in b, out b);
                    goto Resume;
                }
                case 0x08: // ADDMOD
                {
                    gas -= 8;
                    if ((gas | (long)(sp - 3)) < 0) goto CheckFailed;
                    f.Pc = (int)pc; f.StackSize = (int)sp - 2; f.Gas = gas;
                    ref var m = ref Unsafe.Add(ref stack, sp - 3);
                    UInt256.AddMod(in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2), in m, ref _modulusCache, out m);
                    goto Resume;
                }
                case 0x09: // MULMOD
                {
                    gas -= 8;
                    if ((gas | (long)(sp - 3)) < 0) goto CheckFailed;
                    f.Pc = (int)pc; f.StackSize = (int)sp - 2; f.Gas = gas;
                    ref var m = ref Unsafe.Add(ref stack, sp - 3);
                    UInt256.MulMod(in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2), in m, ref _modulusCache, out m);
                    goto Resume;
                }
                case 0x0a: // EXP: 10 + 50 per byte of the exponent
                {
                    if (sp < 2) goto StackUnderflow;
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    ref var b = ref Unsafe.Add(ref stack, sp - 2);
                    gas -= 10 + GasCosts.ExpByte * b.ByteLength;
                    if (gas < 0) goto OutOfGas;
                    f.Pc = (int)pc; f.StackSize = (int)sp - 1; f.Gas = gas;
                    UInt256.Exp(in a, in b, out b);
                    goto Resume;
                }
                case 0x0b: // SIGNEXTEND
                {
                    gas -= 5;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    f.Pc = (int)pc; f.StackSize = (int)sp - 1; f.Gas = gas;
                    ref var b = ref Unsafe.Add(ref stack, sp - 2);
                    UInt256.SignExtend(in Unsafe.Add(ref stack, sp - 1), in b, out b);
                    goto Resume;
                }

                // ---- comparison and bitwise ----
                case 0x10: // LT
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    EvmWord.SetSmall(ref b, UInt256.LessThan(in a, in b) ? 1UL : 0UL);
                    pc++;
                    continue;
                }
                case 0x11: // GT
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    EvmWord.SetSmall(ref b, UInt256.LessThan(in b, in a) ? 1UL : 0UL);
                    pc++;
                    continue;
                }
                case 0x12: // SLT
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    EvmWord.SetSmall(ref b, UInt256.SignedLessThan(in a, in b) ? 1UL : 0UL);
                    pc++;
                    continue;
                }
                case 0x13: // SGT
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    EvmWord.SetSmall(ref b, UInt256.SignedLessThan(in b, in a) ? 1UL : 0UL);
                    pc++;
                    continue;
                }
                case 0x14: // EQ
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    EvmWord.SetSmall(ref b, AsVector(ref a) == AsVector(ref b) ? 1UL : 0UL);
                    pc++;
                    continue;
                }
                case 0x15: // ISZERO
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 1)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    EvmWord.SetSmall(ref a, AsVector(ref a) == Vector256<ulong>.Zero ? 1UL : 0UL);
                    pc++;
                    continue;
                }
                case 0x16: // AND
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    sp--;
                    ref var b = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    b &= AsVector(ref Unsafe.Add(ref stack, sp));
                    pc++;
                    continue;
                }
                case 0x17: // OR
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    sp--;
                    ref var b = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    b |= AsVector(ref Unsafe.Add(ref stack, sp));
                    pc++;
                    continue;
                }
                case 0x18: // XOR
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    sp--;
                    ref var b = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    b ^= AsVector(ref Unsafe.Add(ref stack, sp));
                    pc++;
                    continue;
                }
                case 0x19: // NOT
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 1)) < 0) goto CheckFailed;
                    ref var a = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    a = ~a;
                    pc++;
                    continue;
                }
                case 0x1a: // BYTE
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    if ((a.U1 | a.U2 | a.U3) != 0 || a.U0 >= 32)
                    {
                        AsVector(ref b) = Vector256<ulong>.Zero;
                    }
                    else
                    {
                        var i = (int)a.U0;
                        var limb = Unsafe.Add(ref Unsafe.As<UInt256, ulong>(ref b), 3 - (i >> 3));
                        EvmWord.SetSmall(ref b, (limb >> ((7 - (i & 7)) << 3)) & 0xFF);
                    }
                    pc++;
                    continue;
                }
                case 0x1b: // SHL
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    ShiftLeftBy(in a, ref b);
                    pc++;
                    continue;
                }
                case 0x1c: // SHR
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    ShiftRightBy(in a, ref b);
                    pc++;
                    continue;
                }
                case 0x1d: // SAR
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    ref var b = ref Unsafe.Add(ref stack, sp - 2);
                    if ((a.U1 | a.U2 | a.U3) != 0 || a.U0 >= 256)
                    {
                        b = b.IsNegative ? UInt256.MaxValue : default;
                    }
                    else
                    {
                        // sar(x) = ~shr(~x) for negative x: the complement's zero fill becomes the one fill.
                        var fill = (ulong)((long)b.U3 >> 63);
                        var complement = new UInt256(b.U0 ^ fill, b.U1 ^ fill, b.U2 ^ fill, b.U3 ^ fill);
                        var shifted = ShiftRightInline(in complement, (int)a.U0);
                        EvmWord.Set(ref b, shifted.U0 ^ fill, shifted.U1 ^ fill, shifted.U2 ^ fill, shifted.U3 ^ fill);
                    }
                    sp--;
                    pc++;
                    continue;
                }

                // ---- the environment reads a contract does on every call ----
                case 0x30: // ADDRESS
                    gas -= 2;
                    if ((gas | (long)(1023 - sp)) < 0) goto CheckFailed;
                    Unsafe.Add(ref stack, sp++) = f.AddressWord;
                    pc++;
                    continue;
                case 0x33: // CALLER
                    gas -= 2;
                    if ((gas | (long)(1023 - sp)) < 0) goto CheckFailed;
                    Unsafe.Add(ref stack, sp++) = f.CallerWord;
                    pc++;
                    continue;
                case 0x34: // CALLVALUE
                    gas -= 2;
                    if ((gas | (long)(1023 - sp)) < 0) goto CheckFailed;
                    Unsafe.Add(ref stack, sp++) = f.Value;
                    pc++;
                    continue;
                case 0x35: // CALLDATALOAD
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 1)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    var input = f.Input;
                    if ((a.U1 | a.U2 | a.U3) == 0 && a.U0 <= (ulong)input.Length && (ulong)input.Length - a.U0 >= 32)
                    {
                        ref var p = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(input), (nint)a.U0);
                        AsVector(ref a) = EvmWord.LoadBigEndian(ref p);
                        pc++;
                        continue;
                    }
                    f.Pc = (int)pc; f.StackSize = (int)sp; f.Gas = gas;
                    a = LoadWordPadded(input, in a);
                    goto Resume;
                }
                case 0x36: // CALLDATASIZE
                    gas -= 2;
                    if ((gas | (long)(1023 - sp)) < 0) goto CheckFailed;
                    EvmWord.SetSmall(ref Unsafe.Add(ref stack, sp++), (ulong)f.Input.Length);
                    pc++;
                    continue;

                // ---- stack, memory, flow ----
                case 0x50: // POP
                    gas -= 2;
                    if ((gas | (long)(sp - 1)) < 0) goto CheckFailed;
                    sp--;
                    pc++;
                    continue;
                case 0x51: // MLOAD
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 1)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    if ((a.U1 | a.U2 | a.U3) != 0 || a.U0 > EvmMemory.MaxSize) goto OutOfGas;
                    var memory = f.Memory;
                    if (a.U0 + 32 > (ulong)memory.Size)
                    {
                        // Growth within the buffer inline (cost -1: no room, take the slow path; a cost
                        // above the gas left also goes there and fails as out of gas at this opcode).
                        var cost = memory.InPlaceGrowthCost(a.U0 + 32);
                        if ((ulong)cost <= (ulong)gas)
                        {
                            gas -= cost;
                            memory.GrowInPlace(a.U0 + 32);
                        }
                        else
                        {
                            f.Pc = (int)pc; f.StackSize = (int)sp; f.Gas = gas;
                            if (!ExpandMemory(f, a.U0 + 32)) goto OutOfGas;
                            gas = f.Gas;
                            sp = f.StackSize;
                            pc = f.Pc;
                        }
                    }
                    AsVector(ref a) = memory.ReadWordVector(a.U0);
                    pc++;
                    continue;
                }
                case 0x52: // MSTORE
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    if ((a.U1 | a.U2 | a.U3) != 0 || a.U0 > EvmMemory.MaxSize) goto OutOfGas;
                    var memory = f.Memory;
                    if (a.U0 + 32 > (ulong)memory.Size)
                    {
                        // Growth within the buffer inline (cost -1: no room, take the slow path; a cost
                        // above the gas left also goes there and fails as out of gas at this opcode).
                        var cost = memory.InPlaceGrowthCost(a.U0 + 32);
                        if ((ulong)cost <= (ulong)gas)
                        {
                            gas -= cost;
                            memory.GrowInPlace(a.U0 + 32);
                        }
                        else
                        {
                            f.Pc = (int)pc; f.StackSize = (int)sp; f.Gas = gas;
                            if (!ExpandMemory(f, a.U0 + 32)) goto OutOfGas;
                            gas = f.Gas;
                            sp = f.StackSize;
                            pc = f.Pc;
                        }
                    }
                    memory.WriteWordVector(a.U0, AsVector(ref Unsafe.Add(ref stack, sp - 2)));
                    sp -= 2;
                    pc++;
                    continue;
                }
                case 0x53: // MSTORE8
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    if ((a.U1 | a.U2 | a.U3) != 0 || a.U0 > EvmMemory.MaxSize) goto OutOfGas;
                    var memory = f.Memory;
                    if (a.U0 + 1 > (ulong)memory.Size)
                    {
                        // Growth within the buffer inline (cost -1: no room, take the slow path; a cost
                        // above the gas left also goes there and fails as out of gas at this opcode).
                        var cost = memory.InPlaceGrowthCost(a.U0 + 1);
                        if ((ulong)cost <= (ulong)gas)
                        {
                            gas -= cost;
                            memory.GrowInPlace(a.U0 + 1);
                        }
                        else
                        {
                            f.Pc = (int)pc; f.StackSize = (int)sp; f.Gas = gas;
                            if (!ExpandMemory(f, a.U0 + 1)) goto OutOfGas;
                            gas = f.Gas;
                            sp = f.StackSize;
                            pc = f.Pc;
                        }
                    }
                    Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(memory.Buffer), (nint)a.U0) = (byte)Unsafe.Add(ref stack, sp - 2).U0;
                    sp -= 2;
                    pc++;
                    continue;
                }
                case 0x54: // SLOAD: all its gas is dynamic (EIP-2929)
                    if (sp < 1) goto StackUnderflow;
                    f.Pc = (int)pc; f.StackSize = (int)sp; f.Gas = gas;
                    exit = OpSload(f);
                    if (exit != FrameExit.Continue) goto HelperExit;
                    goto Resume;
                case 0x56: // JUMP
                {
                    gas -= 8;
                    if ((gas | (long)(sp - 1)) < 0) goto CheckFailed;
                    ref var d = ref Unsafe.Add(ref stack, --sp);
                    if ((d.U1 | d.U2 | d.U3) != 0 || !IsJumpDest(f.Code.JumpDests, d.U0)) goto InvalidJump;
                    pc = (nint)d.U0;
                    goto Landed;
                }
                case 0x57: // JUMPI
                {
                    gas -= 10;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    sp -= 2;
                    if (AsVector(ref Unsafe.Add(ref stack, sp)) == Vector256<ulong>.Zero)
                    {
                        pc++;
                        continue;
                    }
                    ref var d = ref Unsafe.Add(ref stack, sp + 1);
                    if ((d.U1 | d.U2 | d.U3) != 0 || !IsJumpDest(f.Code.JumpDests, d.U0)) goto InvalidJump;
                    pc = (nint)d.U0;
                    goto Landed;
                }
                case 0x58: // PC
                    gas -= 2;
                    if ((gas | (long)(1023 - sp)) < 0) goto CheckFailed;
                    EvmWord.SetSmall(ref Unsafe.Add(ref stack, sp++), (ulong)pc);
                    pc++;
                    continue;
                case 0x59: // MSIZE
                    gas -= 2;
                    if ((gas | (long)(1023 - sp)) < 0) goto CheckFailed;
                    EvmWord.SetSmall(ref Unsafe.Add(ref stack, sp++), (ulong)f.Memory.Size);
                    pc++;
                    continue;
                case 0x5a: // GAS
                    gas -= 2;
                    if ((gas | (long)(1023 - sp)) < 0) goto CheckFailed;
                    EvmWord.SetSmall(ref Unsafe.Add(ref stack, sp++), (ulong)gas);
                    pc++;
                    continue;
                case 0x5b: // JUMPDEST
                    gas -= 1;
                    if (gas < 0) goto OutOfGas;
                    pc++;
                    continue;

                // ---- push, dup, swap ----
                case 0x5f: // PUSH0
                    gas -= 2;
                    if ((gas | (long)(1023 - sp)) < 0) goto CheckFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp++)) = Vector256<ulong>.Zero;
                    pc++;
                    continue;
                case 0x60: // PUSH1
                    gas -= 3;
                    if ((gas | (long)(1023 - sp)) < 0) goto CheckFailed;
                    EvmWord.SetSmall(ref Unsafe.Add(ref stack, sp++), Unsafe.Add(ref code, pc + 1));
                    pc += 2;
                    continue;
                case 0x61: // PUSH2
                    gas -= 3;
                    if ((gas | (long)(1023 - sp)) < 0) goto CheckFailed;
                    EvmWord.SetSmall(ref Unsafe.Add(ref stack, sp++), ReadPush2(ref code, pc));
                    pc += 3;
                    continue;
                case 0x62: case 0x63: case 0x64: case 0x65: case 0x66: case 0x67:
                case 0x68: case 0x69: case 0x6a: case 0x6b: case 0x6c: case 0x6d: case 0x6e: case 0x6f:
                case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
                case 0x78: case 0x79: case 0x7a: case 0x7b: case 0x7c: case 0x7d: case 0x7e: case 0x7f:
                {
                    gas -= 3;
                    if ((gas | (long)(1023 - sp)) < 0) goto CheckFailed;
                    var n = op - 0x5f;
                    if (Avx2.IsSupported) AsVector(ref Unsafe.Add(ref stack, sp++)) = EvmWord.LoadPushData(ref code, pc, n);
                    else Unsafe.Add(ref stack, sp++) = ReadPushData(ref code, pc, n);
                    pc += n + 1;
                    continue;
                }
                // DUPn and SWAPn one case each, so that n and the stack bounds are constants. Untraced, a
                // SWAPn followed by POP is one step when there is gas for both (else each runs alone).
                case 0x80: // DUP1
                    gas -= 3;
                    if ((gas | (long)(sp - 1) | (long)(1023 - sp)) < 0) goto CheckFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp)) = AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    sp++;
                    pc++;
                    continue;
                case 0x81: // DUP2
                    gas -= 3;
                    if ((gas | (long)(sp - 2) | (long)(1023 - sp)) < 0) goto CheckFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp)) = AsVector(ref Unsafe.Add(ref stack, sp - 2));
                    sp++;
                    pc++;
                    continue;
                case 0x82: // DUP3
                    gas -= 3;
                    if ((gas | (long)(sp - 3) | (long)(1023 - sp)) < 0) goto CheckFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp)) = AsVector(ref Unsafe.Add(ref stack, sp - 3));
                    sp++;
                    pc++;
                    continue;
                case 0x83: // DUP4
                    gas -= 3;
                    if ((gas | (long)(sp - 4) | (long)(1023 - sp)) < 0) goto CheckFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp)) = AsVector(ref Unsafe.Add(ref stack, sp - 4));
                    sp++;
                    pc++;
                    continue;
                case 0x84: // DUP5
                    gas -= 3;
                    if ((gas | (long)(sp - 5) | (long)(1023 - sp)) < 0) goto CheckFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp)) = AsVector(ref Unsafe.Add(ref stack, sp - 5));
                    sp++;
                    pc++;
                    continue;
                case 0x85: // DUP6
                    gas -= 3;
                    if ((gas | (long)(sp - 6) | (long)(1023 - sp)) < 0) goto CheckFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp)) = AsVector(ref Unsafe.Add(ref stack, sp - 6));
                    sp++;
                    pc++;
                    continue;
                case 0x86: // DUP7
                    gas -= 3;
                    if ((gas | (long)(sp - 7) | (long)(1023 - sp)) < 0) goto CheckFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp)) = AsVector(ref Unsafe.Add(ref stack, sp - 7));
                    sp++;
                    pc++;
                    continue;
                case 0x87: // DUP8
                    gas -= 3;
                    if ((gas | (long)(sp - 8) | (long)(1023 - sp)) < 0) goto CheckFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp)) = AsVector(ref Unsafe.Add(ref stack, sp - 8));
                    sp++;
                    pc++;
                    continue;
                case 0x88: // DUP9
                    gas -= 3;
                    if ((gas | (long)(sp - 9) | (long)(1023 - sp)) < 0) goto CheckFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp)) = AsVector(ref Unsafe.Add(ref stack, sp - 9));
                    sp++;
                    pc++;
                    continue;
                case 0x89: // DUP10
                    gas -= 3;
                    if ((gas | (long)(sp - 10) | (long)(1023 - sp)) < 0) goto CheckFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp)) = AsVector(ref Unsafe.Add(ref stack, sp - 10));
                    sp++;
                    pc++;
                    continue;
                case 0x8a: // DUP11
                    gas -= 3;
                    if ((gas | (long)(sp - 11) | (long)(1023 - sp)) < 0) goto CheckFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp)) = AsVector(ref Unsafe.Add(ref stack, sp - 11));
                    sp++;
                    pc++;
                    continue;
                case 0x8b: // DUP12
                    gas -= 3;
                    if ((gas | (long)(sp - 12) | (long)(1023 - sp)) < 0) goto CheckFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp)) = AsVector(ref Unsafe.Add(ref stack, sp - 12));
                    sp++;
                    pc++;
                    continue;
                case 0x8c: // DUP13
                    gas -= 3;
                    if ((gas | (long)(sp - 13) | (long)(1023 - sp)) < 0) goto CheckFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp)) = AsVector(ref Unsafe.Add(ref stack, sp - 13));
                    sp++;
                    pc++;
                    continue;
                case 0x8d: // DUP14
                    gas -= 3;
                    if ((gas | (long)(sp - 14) | (long)(1023 - sp)) < 0) goto CheckFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp)) = AsVector(ref Unsafe.Add(ref stack, sp - 14));
                    sp++;
                    pc++;
                    continue;
                case 0x8e: // DUP15
                    gas -= 3;
                    if ((gas | (long)(sp - 15) | (long)(1023 - sp)) < 0) goto CheckFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp)) = AsVector(ref Unsafe.Add(ref stack, sp - 15));
                    sp++;
                    pc++;
                    continue;
                case 0x8f: // DUP16
                    gas -= 3;
                    if ((gas | (long)(sp - 16) | (long)(1023 - sp)) < 0) goto CheckFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp)) = AsVector(ref Unsafe.Add(ref stack, sp - 16));
                    sp++;
                    pc++;
                    continue;
                case 0x90: // SWAP1
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 2)) < 0) goto CheckFailed;
                    ref var top = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    ref var other = ref AsVector(ref Unsafe.Add(ref stack, sp - 2));
                    if (!TTrace.Enabled && Unsafe.Add(ref code, pc + 1) == 0x50 && gas >= 2)
                    {
                        // Fused with a following POP (the old top is dropped): the top replaces the item.
                        gas -= 2;
                        other = top;
                        sp--;
                        pc += 2;
                        continue;
                    }
                    var t = top;
                    top = other;
                    other = t;
                    pc++;
                    continue;
                }
                case 0x91: // SWAP2
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 3)) < 0) goto CheckFailed;
                    ref var top = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    ref var other = ref AsVector(ref Unsafe.Add(ref stack, sp - 3));
                    if (!TTrace.Enabled && Unsafe.Add(ref code, pc + 1) == 0x50 && gas >= 2)
                    {
                        // Fused with a following POP (the old top is dropped): the top replaces the item.
                        gas -= 2;
                        other = top;
                        sp--;
                        pc += 2;
                        continue;
                    }
                    var t = top;
                    top = other;
                    other = t;
                    pc++;
                    continue;
                }
                case 0x92: // SWAP3
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 4)) < 0) goto CheckFailed;
                    ref var top = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    ref var other = ref AsVector(ref Unsafe.Add(ref stack, sp - 4));
                    if (!TTrace.Enabled && Unsafe.Add(ref code, pc + 1) == 0x50 && gas >= 2)
                    {
                        // Fused with a following POP (the old top is dropped): the top replaces the item.
                        gas -= 2;
                        other = top;
                        sp--;
                        pc += 2;
                        continue;
                    }
                    var t = top;
                    top = other;
                    other = t;
                    pc++;
                    continue;
                }
                case 0x93: // SWAP4
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 5)) < 0) goto CheckFailed;
                    ref var top = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    ref var other = ref AsVector(ref Unsafe.Add(ref stack, sp - 5));
                    if (!TTrace.Enabled && Unsafe.Add(ref code, pc + 1) == 0x50 && gas >= 2)
                    {
                        // Fused with a following POP (the old top is dropped): the top replaces the item.
                        gas -= 2;
                        other = top;
                        sp--;
                        pc += 2;
                        continue;
                    }
                    var t = top;
                    top = other;
                    other = t;
                    pc++;
                    continue;
                }
                case 0x94: // SWAP5
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 6)) < 0) goto CheckFailed;
                    ref var top = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    ref var other = ref AsVector(ref Unsafe.Add(ref stack, sp - 6));
                    if (!TTrace.Enabled && Unsafe.Add(ref code, pc + 1) == 0x50 && gas >= 2)
                    {
                        // Fused with a following POP (the old top is dropped): the top replaces the item.
                        gas -= 2;
                        other = top;
                        sp--;
                        pc += 2;
                        continue;
                    }
                    var t = top;
                    top = other;
                    other = t;
                    pc++;
                    continue;
                }
                case 0x95: // SWAP6
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 7)) < 0) goto CheckFailed;
                    ref var top = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    ref var other = ref AsVector(ref Unsafe.Add(ref stack, sp - 7));
                    if (!TTrace.Enabled && Unsafe.Add(ref code, pc + 1) == 0x50 && gas >= 2)
                    {
                        // Fused with a following POP (the old top is dropped): the top replaces the item.
                        gas -= 2;
                        other = top;
                        sp--;
                        pc += 2;
                        continue;
                    }
                    var t = top;
                    top = other;
                    other = t;
                    pc++;
                    continue;
                }
                case 0x96: // SWAP7
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 8)) < 0) goto CheckFailed;
                    ref var top = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    ref var other = ref AsVector(ref Unsafe.Add(ref stack, sp - 8));
                    if (!TTrace.Enabled && Unsafe.Add(ref code, pc + 1) == 0x50 && gas >= 2)
                    {
                        // Fused with a following POP (the old top is dropped): the top replaces the item.
                        gas -= 2;
                        other = top;
                        sp--;
                        pc += 2;
                        continue;
                    }
                    var t = top;
                    top = other;
                    other = t;
                    pc++;
                    continue;
                }
                case 0x97: // SWAP8
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 9)) < 0) goto CheckFailed;
                    ref var top = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    ref var other = ref AsVector(ref Unsafe.Add(ref stack, sp - 9));
                    if (!TTrace.Enabled && Unsafe.Add(ref code, pc + 1) == 0x50 && gas >= 2)
                    {
                        // Fused with a following POP (the old top is dropped): the top replaces the item.
                        gas -= 2;
                        other = top;
                        sp--;
                        pc += 2;
                        continue;
                    }
                    var t = top;
                    top = other;
                    other = t;
                    pc++;
                    continue;
                }
                case 0x98: // SWAP9
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 10)) < 0) goto CheckFailed;
                    ref var top = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    ref var other = ref AsVector(ref Unsafe.Add(ref stack, sp - 10));
                    if (!TTrace.Enabled && Unsafe.Add(ref code, pc + 1) == 0x50 && gas >= 2)
                    {
                        // Fused with a following POP (the old top is dropped): the top replaces the item.
                        gas -= 2;
                        other = top;
                        sp--;
                        pc += 2;
                        continue;
                    }
                    var t = top;
                    top = other;
                    other = t;
                    pc++;
                    continue;
                }
                case 0x99: // SWAP10
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 11)) < 0) goto CheckFailed;
                    ref var top = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    ref var other = ref AsVector(ref Unsafe.Add(ref stack, sp - 11));
                    if (!TTrace.Enabled && Unsafe.Add(ref code, pc + 1) == 0x50 && gas >= 2)
                    {
                        // Fused with a following POP (the old top is dropped): the top replaces the item.
                        gas -= 2;
                        other = top;
                        sp--;
                        pc += 2;
                        continue;
                    }
                    var t = top;
                    top = other;
                    other = t;
                    pc++;
                    continue;
                }
                case 0x9a: // SWAP11
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 12)) < 0) goto CheckFailed;
                    ref var top = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    ref var other = ref AsVector(ref Unsafe.Add(ref stack, sp - 12));
                    if (!TTrace.Enabled && Unsafe.Add(ref code, pc + 1) == 0x50 && gas >= 2)
                    {
                        // Fused with a following POP (the old top is dropped): the top replaces the item.
                        gas -= 2;
                        other = top;
                        sp--;
                        pc += 2;
                        continue;
                    }
                    var t = top;
                    top = other;
                    other = t;
                    pc++;
                    continue;
                }
                case 0x9b: // SWAP12
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 13)) < 0) goto CheckFailed;
                    ref var top = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    ref var other = ref AsVector(ref Unsafe.Add(ref stack, sp - 13));
                    if (!TTrace.Enabled && Unsafe.Add(ref code, pc + 1) == 0x50 && gas >= 2)
                    {
                        // Fused with a following POP (the old top is dropped): the top replaces the item.
                        gas -= 2;
                        other = top;
                        sp--;
                        pc += 2;
                        continue;
                    }
                    var t = top;
                    top = other;
                    other = t;
                    pc++;
                    continue;
                }
                case 0x9c: // SWAP13
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 14)) < 0) goto CheckFailed;
                    ref var top = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    ref var other = ref AsVector(ref Unsafe.Add(ref stack, sp - 14));
                    if (!TTrace.Enabled && Unsafe.Add(ref code, pc + 1) == 0x50 && gas >= 2)
                    {
                        // Fused with a following POP (the old top is dropped): the top replaces the item.
                        gas -= 2;
                        other = top;
                        sp--;
                        pc += 2;
                        continue;
                    }
                    var t = top;
                    top = other;
                    other = t;
                    pc++;
                    continue;
                }
                case 0x9d: // SWAP14
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 15)) < 0) goto CheckFailed;
                    ref var top = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    ref var other = ref AsVector(ref Unsafe.Add(ref stack, sp - 15));
                    if (!TTrace.Enabled && Unsafe.Add(ref code, pc + 1) == 0x50 && gas >= 2)
                    {
                        // Fused with a following POP (the old top is dropped): the top replaces the item.
                        gas -= 2;
                        other = top;
                        sp--;
                        pc += 2;
                        continue;
                    }
                    var t = top;
                    top = other;
                    other = t;
                    pc++;
                    continue;
                }
                case 0x9e: // SWAP15
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 16)) < 0) goto CheckFailed;
                    ref var top = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    ref var other = ref AsVector(ref Unsafe.Add(ref stack, sp - 16));
                    if (!TTrace.Enabled && Unsafe.Add(ref code, pc + 1) == 0x50 && gas >= 2)
                    {
                        // Fused with a following POP (the old top is dropped): the top replaces the item.
                        gas -= 2;
                        other = top;
                        sp--;
                        pc += 2;
                        continue;
                    }
                    var t = top;
                    top = other;
                    other = t;
                    pc++;
                    continue;
                }
                case 0x9f: // SWAP16
                {
                    gas -= 3;
                    if ((gas | (long)(sp - 17)) < 0) goto CheckFailed;
                    ref var top = ref AsVector(ref Unsafe.Add(ref stack, sp - 1));
                    ref var other = ref AsVector(ref Unsafe.Add(ref stack, sp - 17));
                    if (!TTrace.Enabled && Unsafe.Add(ref code, pc + 1) == 0x50 && gas >= 2)
                    {
                        // Fused with a following POP (the old top is dropped): the top replaces the item.
                        gas -= 2;
                        other = top;
                        sp--;
                        pc += 2;
                        continue;
                    }
                    var t = top;
                    top = other;
                    other = t;
                    pc++;
                    continue;
                }

                // ---- fused pairs (untraced only: CodeInfo.Dispatch marks them) ----
                // DUPn then a binary operation (n is in the analysed copy in place of the operation): the
                // copy is the operation's top operand, so the result replaces the top and the stack does
                // not move. Both instructions' gas and stack checks hold (the operation's stack need
                // follows from the DUP's), else DupPairFailed says which instruction fails.
                case CodeInfo.DupAdd:
                {
                    if (TTrace.Enabled) goto default; // traced, the byte is the code's own: an undefined opcode
                    gas -= 6;
                    var n = Unsafe.Add(ref code, pc + 1);
                    if ((gas | (long)(sp - n) | (long)(1023 - sp)) < 0) goto DupPairFailed;
                    EvmWord.AddInto(in Unsafe.Add(ref stack, sp - n), ref Unsafe.Add(ref stack, sp - 1));
                    pc += 2;
                    continue;
                }
                case CodeInfo.DupMul:
                {
                    if (TTrace.Enabled) goto default;
                    gas -= 8;
                    var n = Unsafe.Add(ref code, pc + 1);
                    if ((gas | (long)(sp - n) | (long)(1023 - sp)) < 0) goto DupPairFailed;
                    ref var a = ref Unsafe.Add(ref stack, sp - n);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    if (EvmWord.TryMultiplyByLimbCopies(in a, ref b))
                    {
                        pc += 2;
                        continue;
                    }
                    f.Pc = (int)pc + 1; f.StackSize = (int)sp; f.Gas = gas;
                    EvmWord.Multiply(in a, ref b);
                    goto Resume;
                }
                case CodeInfo.DupSub:
                {
                    if (TTrace.Enabled) goto default;
                    gas -= 6;
                    var n = Unsafe.Add(ref code, pc + 1);
                    if ((gas | (long)(sp - n) | (long)(1023 - sp)) < 0) goto DupPairFailed;
                    EvmWord.SubtractInto(in Unsafe.Add(ref stack, sp - n), ref Unsafe.Add(ref stack, sp - 1));
                    pc += 2;
                    continue;
                }
                case CodeInfo.DupAnd:
                {
                    if (TTrace.Enabled) goto default;
                    gas -= 6;
                    var n = Unsafe.Add(ref code, pc + 1);
                    if ((gas | (long)(sp - n) | (long)(1023 - sp)) < 0) goto DupPairFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp - 1)) &= AsVector(ref Unsafe.Add(ref stack, sp - n));
                    pc += 2;
                    continue;
                }
                case CodeInfo.DupOr:
                {
                    if (TTrace.Enabled) goto default;
                    gas -= 6;
                    var n = Unsafe.Add(ref code, pc + 1);
                    if ((gas | (long)(sp - n) | (long)(1023 - sp)) < 0) goto DupPairFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp - 1)) |= AsVector(ref Unsafe.Add(ref stack, sp - n));
                    pc += 2;
                    continue;
                }
                case CodeInfo.DupXor:
                {
                    if (TTrace.Enabled) goto default;
                    gas -= 6;
                    var n = Unsafe.Add(ref code, pc + 1);
                    if ((gas | (long)(sp - n) | (long)(1023 - sp)) < 0) goto DupPairFailed;
                    AsVector(ref Unsafe.Add(ref stack, sp - 1)) ^= AsVector(ref Unsafe.Add(ref stack, sp - n));
                    pc += 2;
                    continue;
                }
                case CodeInfo.DupShl:
                {
                    if (TTrace.Enabled) goto default;
                    gas -= 6;
                    var n = Unsafe.Add(ref code, pc + 1);
                    if ((gas | (long)(sp - n) | (long)(1023 - sp)) < 0) goto DupPairFailed;
                    ref var a = ref Unsafe.Add(ref stack, sp - n);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    ShiftLeftBy(in a, ref b);
                    pc += 2;
                    continue;
                }
                case CodeInfo.DupShr:
                {
                    if (TTrace.Enabled) goto default;
                    gas -= 6;
                    var n = Unsafe.Add(ref code, pc + 1);
                    if ((gas | (long)(sp - n) | (long)(1023 - sp)) < 0) goto DupPairFailed;
                    ref var a = ref Unsafe.Add(ref stack, sp - n);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    ShiftRightBy(in a, ref b);
                    pc += 2;
                    continue;
                }

                // PUSH1/PUSH2 then an instruction that takes the pushed constant: both instructions'
                // gas and stack checks hold (and for MLOAD/MSTORE memory already covers the word), else
                // the PUSH runs alone (goto case) and the next instruction runs, or fails, on its own.
                case CodeInfo.Push1Shl:
                case CodeInfo.Push1Shr:
                {
                    if (TTrace.Enabled) goto default;
                    if ((gas - 6 | (long)(sp - 1) | (long)(1023 - sp)) < 0) goto case 0x60;
                    gas -= 6;
                    int shift = Unsafe.Add(ref code, pc + 1);
                    ref var x = ref Unsafe.Add(ref stack, sp - 1);
                    if (op == CodeInfo.Push1Shr) ShiftRightInto(ref x, shift);
                    else ShiftLeftInto(ref x, shift);
                    pc += 3;
                    continue;
                }
                case CodeInfo.Push1Mload:
                {
                    if (TTrace.Enabled) goto default;
                    ulong offset = Unsafe.Add(ref code, pc + 1);
                    if ((gas - 6 | (long)(1023 - sp)) < 0 || offset + 32 > (ulong)f.Memory.Size) goto case 0x60;
                    gas -= 6;
                    AsVector(ref Unsafe.Add(ref stack, sp++)) = f.Memory.ReadWordVector(offset);
                    pc += 3;
                    continue;
                }
                case CodeInfo.Push1Mstore:
                {
                    if (TTrace.Enabled) goto default;
                    ulong offset = Unsafe.Add(ref code, pc + 1);
                    if ((gas - 6 | (long)(sp - 1) | (long)(1023 - sp)) < 0 || offset + 32 > (ulong)f.Memory.Size) goto case 0x60;
                    gas -= 6;
                    f.Memory.WriteWordVector(offset, AsVector(ref Unsafe.Add(ref stack, --sp)));
                    pc += 3;
                    continue;
                }
                case CodeInfo.Push2Mload:
                {
                    if (TTrace.Enabled) goto default;
                    var offset = ReadPush2(ref code, pc);
                    if ((gas - 6 | (long)(1023 - sp)) < 0 || offset + 32 > (ulong)f.Memory.Size) goto case 0x61;
                    gas -= 6;
                    AsVector(ref Unsafe.Add(ref stack, sp++)) = f.Memory.ReadWordVector(offset);
                    pc += 4;
                    continue;
                }
                case CodeInfo.Push2Mstore:
                {
                    if (TTrace.Enabled) goto default;
                    var offset = ReadPush2(ref code, pc);
                    if ((gas - 6 | (long)(sp - 1) | (long)(1023 - sp)) < 0 || offset + 32 > (ulong)f.Memory.Size) goto case 0x61;
                    gas -= 6;
                    f.Memory.WriteWordVector(offset, AsVector(ref Unsafe.Add(ref stack, --sp)));
                    pc += 4;
                    continue;
                }
                case CodeInfo.Push2Jump:
                {
                    if (TTrace.Enabled) goto default;
                    if ((gas - 11 | (long)(1023 - sp)) < 0) goto case 0x61;
                    gas -= 11;
                    var destination = ReadPush2(ref code, pc);
                    pc += 3;
                    if (!IsJumpDest(f.Code.JumpDests, destination)) goto InvalidJump;
                    pc = (nint)destination;
                    goto Landed;
                }
                case CodeInfo.Push2Jumpi:
                {
                    if (TTrace.Enabled) goto default;
                    if ((gas - 13 | (long)(sp - 1) | (long)(1023 - sp)) < 0) goto case 0x61;
                    gas -= 13;
                    sp--;
                    if (AsVector(ref Unsafe.Add(ref stack, sp)) == Vector256<ulong>.Zero)
                    {
                        pc += 4;
                        continue;
                    }
                    var destination = ReadPush2(ref code, pc);
                    pc += 3;
                    if (!IsJumpDest(f.Code.JumpDests, destination)) goto InvalidJump;
                    pc = (nint)destination;
                    goto Landed;
                }

                default: // everything else: table-checked, out of line
                    f.Pc = (int)pc; f.StackSize = (int)sp; f.Gas = gas;
                    exit = ExecuteCold(f, op);
                    if (exit != FrameExit.Continue) goto HelperExit;
                    goto Resume;
            }

        Resume:
            // After a call made with pc/sp/gas stored in the frame: the instruction is done.
            pc = f.Pc + 1;
            sp = f.StackSize;
            gas = f.Gas;
            continue;

        Landed:
            // A jump arrived at pc, a JUMPDEST (the bitmap says so). Untraced, it is charged here and
            // skipped, saving a dispatch; without the gas for it, it runs (and fails) on its own.
            if (!TTrace.Enabled && gas >= 1)
            {
                gas -= 1;
                pc++;
            }
        }

    DupPairFailed:
        // A DUPn+operation pair's checks failed. Run alone, the DUP fails on its own checks (gas
        // first), or else succeeds and leaves the operation without its gas: an exceptional halt
        // either way, so only the reason is left to find.
        {
            var n = Unsafe.Add(ref code, pc + 1);
            gas += GasOfFused(op) - 3;
            if (gas < 0) exit = FrameExit.OutOfGas;
            else if (sp < n) exit = FrameExit.StackUnderflow;
            else if (sp > 1023) exit = FrameExit.StackOverflow;
            else exit = FrameExit.OutOfGas;
            goto Fail;
        }

    CheckFailed:
        // A combined gas/stack check failed: say which, for traces and receipts. (The opcode is
        // read again rather than kept in a local, which would then be spilled on every instruction;
        // from the code itself, as the analysed copy may hold a fused pair's opcode.)
        op = pc < f.Code.Length ? f.Code.Code[pc] : 0;
        if (gas < 0) exit = FrameExit.OutOfGas;
        else exit = sp < OpcodeTable.CancunArray[op].MinStack ? FrameExit.StackUnderflow : FrameExit.StackOverflow;
        goto Fail;

    StackUnderflow:
        exit = FrameExit.StackUnderflow;
        goto Fail;

    OutOfGas:
        exit = FrameExit.OutOfGas;
        goto Fail;

    InvalidJump:
        exit = FrameExit.InvalidJump;
        goto Fail;

    HelperExit:
        // The frame fields are current. CallPending: the child runs next and this frame resumes
        // after the instruction. STOP/RETURN/REVERT/SELFDESTRUCT: halted with gas left.
        if (exit == FrameExit.CallPending)
        {
            f.Pc++;
            if (TTrace.Enabled) _tracer!.OnStepEnd(f.Gas, null);
            return exit;
        }
        if (exit > FrameExit.Revert) goto Fail;

    Halt:
        if (TTrace.Enabled && traceOpen) _tracer!.OnStepEnd(f.Gas, null);
        return exit;

    Fail:
        // Exceptional halt: the frame's gas is gone, whatever it was.
        f.Gas = 0;
        if (TTrace.Enabled && traceOpen) _tracer!.OnStepEnd(0, ToStatus(exit).ToErrorMessage());
        return exit;
    }

    /// <summary>The gas a fused pair charges: its two instructions' static gas.</summary>
    private static long GasOfFused(int op) => op == CodeInfo.DupMul ? 8 : 6;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref Vector256<ulong> AsVector(ref UInt256 word) => ref Unsafe.As<UInt256, Vector256<ulong>>(ref word);

    /// <summary>True when <paramref name="destination"/> is a JUMPDEST of the code (the bitmap has a spare word past the end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsJumpDest(ulong[] jumpdests, ulong destination) =>
        (destination >> 6) < (ulong)jumpdests.Length
        && ((Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(jumpdests), (nint)(destination >> 6)) >> (int)(destination & 63)) & 1) != 0;

    /// <summary>EVM SHL: x = x &lt;&lt; shift, 0 for a shift of 256 or more.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShiftLeftBy(in UInt256 shift, ref UInt256 x)
    {
        if ((shift.U1 | shift.U2 | shift.U3) != 0 || shift.U0 >= 256) AsVector(ref x) = Vector256<ulong>.Zero;
        else ShiftLeftInto(ref x, (int)shift.U0);
    }

    /// <summary>EVM SHR: x = x &gt;&gt; shift (logical), 0 for a shift of 256 or more.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShiftRightBy(in UInt256 shift, ref UInt256 x)
    {
        if ((shift.U1 | shift.U2 | shift.U3) != 0 || shift.U0 >= 256) AsVector(ref x) = Vector256<ulong>.Zero;
        else ShiftRightInto(ref x, (int)shift.U0);
    }

    /// <summary>x = x &lt;&lt; shift for a shift in 0..255, stored as one word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShiftLeftInto(ref UInt256 x, int shift)
    {
        int bits = shift & 63, back = 63 - bits;
        ulong a0 = x.U0, a1 = x.U1, a2 = x.U2, a3 = x.U3;
        ulong b0 = a0 << bits;
        ulong b1 = (a1 << bits) | ((a0 >> 1) >> back);
        ulong b2 = (a2 << bits) | ((a1 >> 1) >> back);
        ulong b3 = (a3 << bits) | ((a2 >> 1) >> back);
        switch (shift >> 6)
        {
            case 0: EvmWord.Set(ref x, b0, b1, b2, b3); break;
            case 1: EvmWord.Set(ref x, 0, b0, b1, b2); break;
            case 2: EvmWord.Set(ref x, 0, 0, b0, b1); break;
            default: EvmWord.Set(ref x, 0, 0, 0, b0); break;
        }
    }

    /// <summary>x = x &gt;&gt; shift (logical) for a shift in 0..255, stored as one word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShiftRightInto(ref UInt256 x, int shift)
    {
        int bits = shift & 63, back = 63 - bits;
        ulong a0 = x.U0, a1 = x.U1, a2 = x.U2, a3 = x.U3;
        ulong b0 = (a0 >> bits) | ((a1 << 1) << back);
        ulong b1 = (a1 >> bits) | ((a2 << 1) << back);
        ulong b2 = (a2 >> bits) | ((a3 << 1) << back);
        ulong b3 = a3 >> bits;
        switch (shift >> 6)
        {
            case 0: EvmWord.Set(ref x, b0, b1, b2, b3); break;
            case 1: EvmWord.Set(ref x, b1, b2, b3, 0); break;
            case 2: EvmWord.Set(ref x, b2, b3, 0, 0); break;
            default: EvmWord.Set(ref x, b3, 0, 0, 0); break;
        }
    }

    /// <summary>x &gt;&gt; shift (logical) for a shift in 0..255, in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt256 ShiftRightInline(in UInt256 x, int shift)
    {
        int bits = shift & 63, back = 63 - bits;
        ulong a0 = x.U0, a1 = x.U1, a2 = x.U2, a3 = x.U3;
        ulong b0 = (a0 >> bits) | ((a1 << 1) << back);
        ulong b1 = (a1 >> bits) | ((a2 << 1) << back);
        ulong b2 = (a2 >> bits) | ((a3 << 1) << back);
        ulong b3 = a3 >> bits;
        return (shift >> 6) switch
        {
            0 => new UInt256(b0, b1, b2, b3),
            1 => new UInt256(b1, b2, b3, 0),
            2 => new UInt256(b2, b3, 0, 0),
            _ => new UInt256(b3, 0, 0, 0),
        };
    }

    /// <summary>True when the word is a sign-extended long other than long.MinValue (so / and % on longs are exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsSmallSigned(in UInt256 x)
    {
        var fill = (ulong)((long)x.U0 >> 63);
        return ((x.U1 ^ fill) | (x.U2 ^ fill) | (x.U3 ^ fill)) == 0 && x.U0 != 0x8000_0000_0000_0000UL;
    }

    /// <summary>True when the word is a 128-bit two's complement value sign-extended to 256 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsSigned128(in UInt256 x)
    {
        var fill = (ulong)((long)x.U1 >> 63);
        return ((x.U2 ^ fill) | (x.U3 ^ fill)) == 0;
    }

    /// <summary>True when the word is a 64-bit two's complement value sign-extended to 256 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsSigned64(in UInt256 x)
    {
        var fill = (ulong)((long)x.U0 >> 63);
        return ((x.U1 ^ fill) | (x.U2 ^ fill) | (x.U3 ^ fill)) == 0;
    }

    /// <summary>|x| of a sign-extended 128-bit word (2^127 for -2^127 fits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt128 Magnitude128(in UInt256 x)
    {
        var value = new UInt128(x.U1, x.U0);
        return x.IsNegative ? UInt128.Zero - value : value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Magnitude64(in UInt256 x) => x.IsNegative ? 0UL - x.U0 : x.U0;

    /// <summary>The word of magnitude <paramref name="magnitude"/> (below 2^128) with the given sign.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt256 Signed(UInt128 magnitude, bool negative)
    {
        if (!negative || magnitude == UInt128.Zero) return FromUInt128(magnitude);
        var value = UInt128.Zero - magnitude;
        return new UInt256((ulong)value, (ulong)(value >> 64), ulong.MaxValue, ulong.MaxValue);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt256 FromUInt128(UInt128 value) => new((ulong)value, (ulong)(value >> 64));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt256 SignExtend64(long value)
    {
        var fill = (ulong)(value >> 63);
        return new UInt256((ulong)value, fill, fill, fill);
    }

    /// <summary>Charges for and grows memory to cover <paramref name="end"/> bytes; false when out of gas.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool ExpandMemory(EvmFrame f, ulong end)
    {
        var cost = f.Memory.ExpansionCost(end);
        if (f.Gas < cost) return false;
        f.Gas -= cost;
        f.Memory.Grow(end);
        return true;
    }

    /// <summary>PUSH2's data (big-endian) at pc+1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadPush2(ref byte code, nint pc) =>
        BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref code, pc + 1)));

    /// <summary>PUSHn data as a word: n bytes at pc+1, read as big-endian 8-byte windows ending at pc+n (the code is padded both sides).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt256 ReadPushData(ref byte code, nint pc, int n)
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

    /// <summary>All ones in the low <paramref name="bytes"/> bytes (1..8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong LowBytesMask(int bytes) => ulong.MaxValue >> ((8 - bytes) << 3);

    /// <summary>32 bytes of <paramref name="data"/> from <paramref name="offset"/>, zero past the end (CALLDATALOAD).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
