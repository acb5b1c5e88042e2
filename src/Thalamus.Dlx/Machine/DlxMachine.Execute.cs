using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Thalamus.Dlx;

public sealed partial class DlxMachine
{
    private const uint CanonicalNaN32 = 0x7FC00000;
    private const ulong CanonicalNaN64 = 0x7FF8000000000000;

    /// <summary>
    /// The interpreter loop. In <see cref="BlockMode"/> the caller has charged the block at PC; the loop
    /// runs instructions without any budget check until a control transfer, then charges the next block
    /// if it fits and goes on, or returns. In <see cref="StepMode"/> it runs the one pre-charged
    /// instruction. A fault refunds what was charged for the faulting instruction and the rest of its
    /// block, so gas and instruction counts are exact. No allocation except first touch of a page.
    /// </summary>
    [SkipLocalsInit]
    private unsafe void Execute<TMode>() where TMode : struct, IExecutionMode
    {
        ref DecodedInstruction code0 = ref MemoryMarshal.GetArrayDataReference(_code);
        ref byte[]? pages0 = ref MemoryMarshal.GetArrayDataReference(_memory.Pages);
        uint limit = _memory.Limit;
        uint codeStart = _codeStart, codeEnd = _codeEnd, codeBytes = codeEnd - codeStart;
        int pc = _pcIndex;
        long gas = _gasUsed, count = _instructions;
        long gasEnd = _runGasEnd, countEnd = _runCountEnd;
        bool fpsr = _fpsr;
        DlxFault fault;

        fixed (int* r = _r)
        fixed (uint* f = _f)
        {
            while (true)
            {
                ref DecodedInstruction ins = ref Unsafe.Add(ref code0, pc);
                switch (ins.Op)
                {
                    case ExecOp.Nop:
                        pc++;
                        break;

                    // ---- integer register-register ----
                    case ExecOp.Sll: r[ins.Rd] = r[ins.Rs1] << r[ins.Rs2]; pc++; break;
                    case ExecOp.Srl: r[ins.Rd] = (int)((uint)r[ins.Rs1] >> r[ins.Rs2]); pc++; break;
                    case ExecOp.Sra: r[ins.Rd] = r[ins.Rs1] >> r[ins.Rs2]; pc++; break;
                    case ExecOp.Add:
                    {
                        int a = r[ins.Rs1], b = r[ins.Rs2], s = a + b;
                        if (((a ^ s) & (b ^ s)) < 0) { fault = DlxFault.Overflow; goto Fault; }
                        r[ins.Rd] = s; pc++; break;
                    }
                    case ExecOp.Addu: r[ins.Rd] = r[ins.Rs1] + r[ins.Rs2]; pc++; break;
                    case ExecOp.Sub:
                    {
                        int a = r[ins.Rs1], b = r[ins.Rs2], s = a - b;
                        if (((a ^ b) & (a ^ s)) < 0) { fault = DlxFault.Overflow; goto Fault; }
                        r[ins.Rd] = s; pc++; break;
                    }
                    case ExecOp.Subu: r[ins.Rd] = r[ins.Rs1] - r[ins.Rs2]; pc++; break;
                    case ExecOp.And: r[ins.Rd] = r[ins.Rs1] & r[ins.Rs2]; pc++; break;
                    case ExecOp.Or: r[ins.Rd] = r[ins.Rs1] | r[ins.Rs2]; pc++; break;
                    case ExecOp.Xor: r[ins.Rd] = r[ins.Rs1] ^ r[ins.Rs2]; pc++; break;
                    case ExecOp.Seq: r[ins.Rd] = r[ins.Rs1] == r[ins.Rs2] ? 1 : 0; pc++; break;
                    case ExecOp.Sne: r[ins.Rd] = r[ins.Rs1] != r[ins.Rs2] ? 1 : 0; pc++; break;
                    case ExecOp.Slt: r[ins.Rd] = r[ins.Rs1] < r[ins.Rs2] ? 1 : 0; pc++; break;
                    case ExecOp.Sgt: r[ins.Rd] = r[ins.Rs1] > r[ins.Rs2] ? 1 : 0; pc++; break;
                    case ExecOp.Sle: r[ins.Rd] = r[ins.Rs1] <= r[ins.Rs2] ? 1 : 0; pc++; break;
                    case ExecOp.Sge: r[ins.Rd] = r[ins.Rs1] >= r[ins.Rs2] ? 1 : 0; pc++; break;

                    // ---- moves between register files ----
                    case ExecOp.Movi2s:
                        if (ins.Rd == (int)DlxSpecialRegister.Iar) _iar = (uint)r[ins.Rs1];
                        else fpsr = (r[ins.Rs1] & 1) != 0;
                        pc++; break;
                    case ExecOp.Movs2i:
                        r[ins.Rd] = ins.Rs1 == (int)DlxSpecialRegister.Iar ? (int)_iar : fpsr ? 1 : 0;
                        pc++; break;
                    case ExecOp.Movf: f[ins.Rd] = f[ins.Rs1]; pc++; break;
                    case ExecOp.Movd: f[ins.Rd] = f[ins.Rs1]; f[ins.Rd + 1] = f[ins.Rs1 + 1]; pc++; break;
                    case ExecOp.Movfp2i: r[ins.Rd] = (int)f[ins.Rs1]; pc++; break;
                    case ExecOp.Movi2fp: f[ins.Rd] = (uint)r[ins.Rs1]; pc++; break;

                    // ---- floating point ----
                    case ExecOp.Addf: SetSingle(f, ins.Rd, Single(f, ins.Rs1) + Single(f, ins.Rs2)); pc++; break;
                    case ExecOp.Subf: SetSingle(f, ins.Rd, Single(f, ins.Rs1) - Single(f, ins.Rs2)); pc++; break;
                    case ExecOp.Multf: SetSingle(f, ins.Rd, Single(f, ins.Rs1) * Single(f, ins.Rs2)); pc++; break;
                    case ExecOp.Divf: SetSingle(f, ins.Rd, Single(f, ins.Rs1) / Single(f, ins.Rs2)); pc++; break;
                    case ExecOp.Addd: SetDouble(f, ins.Rd, Double(f, ins.Rs1) + Double(f, ins.Rs2)); pc++; break;
                    case ExecOp.Subd: SetDouble(f, ins.Rd, Double(f, ins.Rs1) - Double(f, ins.Rs2)); pc++; break;
                    case ExecOp.Multd: SetDouble(f, ins.Rd, Double(f, ins.Rs1) * Double(f, ins.Rs2)); pc++; break;
                    case ExecOp.Divd: SetDouble(f, ins.Rd, Double(f, ins.Rs1) / Double(f, ins.Rs2)); pc++; break;
                    case ExecOp.Cvtf2d: SetDouble(f, ins.Rd, Single(f, ins.Rs1)); pc++; break;
                    case ExecOp.Cvtf2i: f[ins.Rd] = (uint)ToInt32(Single(f, ins.Rs1)); pc++; break;
                    case ExecOp.Cvtd2f: SetSingle(f, ins.Rd, (float)Double(f, ins.Rs1)); pc++; break;
                    case ExecOp.Cvtd2i: f[ins.Rd] = (uint)ToInt32(Double(f, ins.Rs1)); pc++; break;
                    case ExecOp.Cvti2f: SetSingle(f, ins.Rd, (int)f[ins.Rs1]); pc++; break;
                    case ExecOp.Cvti2d: SetDouble(f, ins.Rd, (int)f[ins.Rs1]); pc++; break;
                    case ExecOp.Mult: f[ins.Rd] = (uint)((int)f[ins.Rs1] * (int)f[ins.Rs2]); pc++; break;
                    case ExecOp.Multu: f[ins.Rd] = f[ins.Rs1] * f[ins.Rs2]; pc++; break;
                    case ExecOp.Div:
                    {
                        int a = (int)f[ins.Rs1], b = (int)f[ins.Rs2];
                        if (b == 0) { fault = DlxFault.DivisionByZero; goto Fault; }
                        if (b == -1 && a == int.MinValue) { fault = DlxFault.Overflow; goto Fault; }
                        f[ins.Rd] = (uint)(a / b); pc++; break;
                    }
                    case ExecOp.Divu:
                    {
                        uint b = f[ins.Rs2];
                        if (b == 0) { fault = DlxFault.DivisionByZero; goto Fault; }
                        f[ins.Rd] = f[ins.Rs1] / b; pc++; break;
                    }
                    case ExecOp.Eqf: fpsr = Single(f, ins.Rs1) == Single(f, ins.Rs2); pc++; break;
                    case ExecOp.Nef: fpsr = Single(f, ins.Rs1) != Single(f, ins.Rs2); pc++; break;
                    case ExecOp.Ltf: fpsr = Single(f, ins.Rs1) < Single(f, ins.Rs2); pc++; break;
                    case ExecOp.Gtf: fpsr = Single(f, ins.Rs1) > Single(f, ins.Rs2); pc++; break;
                    case ExecOp.Lef: fpsr = Single(f, ins.Rs1) <= Single(f, ins.Rs2); pc++; break;
                    case ExecOp.Gef: fpsr = Single(f, ins.Rs1) >= Single(f, ins.Rs2); pc++; break;
                    case ExecOp.Eqd: fpsr = Double(f, ins.Rs1) == Double(f, ins.Rs2); pc++; break;
                    case ExecOp.Ned: fpsr = Double(f, ins.Rs1) != Double(f, ins.Rs2); pc++; break;
                    case ExecOp.Ltd: fpsr = Double(f, ins.Rs1) < Double(f, ins.Rs2); pc++; break;
                    case ExecOp.Gtd: fpsr = Double(f, ins.Rs1) > Double(f, ins.Rs2); pc++; break;
                    case ExecOp.Led: fpsr = Double(f, ins.Rs1) <= Double(f, ins.Rs2); pc++; break;
                    case ExecOp.Ged: fpsr = Double(f, ins.Rs1) >= Double(f, ins.Rs2); pc++; break;

                    // ---- control transfer (each ends a block) ----
                    case ExecOp.J:
                        if (ins.Imm < 0) { fault = DlxFault.BadJumpTarget; goto Fault; }
                        pc = ins.Imm;
                        goto Transfer;
                    case ExecOp.Jal:
                        if (ins.Imm < 0) { fault = DlxFault.BadJumpTarget; goto Fault; }
                        r[31] = (int)(codeStart + (uint)pc * 4 + 4);
                        pc = ins.Imm;
                        goto Transfer;
                    case ExecOp.Beqz:
                        if (r[ins.Rs1] != 0) { pc++; goto Transfer; }
                        if (ins.Imm < 0) { fault = DlxFault.BadJumpTarget; goto Fault; }
                        pc = ins.Imm;
                        goto Transfer;
                    case ExecOp.Bnez:
                        if (r[ins.Rs1] == 0) { pc++; goto Transfer; }
                        if (ins.Imm < 0) { fault = DlxFault.BadJumpTarget; goto Fault; }
                        pc = ins.Imm;
                        goto Transfer;
                    case ExecOp.Bfpt:
                        if (!fpsr) { pc++; goto Transfer; }
                        if (ins.Imm < 0) { fault = DlxFault.BadJumpTarget; goto Fault; }
                        pc = ins.Imm;
                        goto Transfer;
                    case ExecOp.Bfpf:
                        if (fpsr) { pc++; goto Transfer; }
                        if (ins.Imm < 0) { fault = DlxFault.BadJumpTarget; goto Fault; }
                        pc = ins.Imm;
                        goto Transfer;
                    case ExecOp.Jr:
                    {
                        uint offset = (uint)r[ins.Rs1] - codeStart;
                        if (offset >= codeBytes || (offset & 3) != 0) { fault = DlxFault.BadJumpTarget; goto Fault; }
                        pc = (int)(offset >> 2);
                        goto Transfer;
                    }
                    case ExecOp.Jalr:
                    {
                        uint offset = (uint)r[ins.Rs1] - codeStart;
                        if (offset >= codeBytes || (offset & 3) != 0) { fault = DlxFault.BadJumpTarget; goto Fault; }
                        r[31] = (int)(codeStart + (uint)pc * 4 + 4);
                        pc = (int)(offset >> 2);
                        goto Transfer;
                    }
                    case ExecOp.Rfe:
                    {
                        uint offset = _iar - codeStart;
                        if (offset >= codeBytes || (offset & 3) != 0) { fault = DlxFault.BadJumpTarget; goto Fault; }
                        pc = (int)(offset >> 2);
                        goto Transfer;
                    }
                    case ExecOp.Trap:
                    {
                        _fpsr = fpsr;
                        var outcome = HandleTrap(ins.Imm, pc, ref gas, out fault);
                        switch (outcome)
                        {
                            case TrapOutcome.Continue:
                                pc++;
                                goto Transfer;
                            case TrapOutcome.Halt:
                                _status = DlxStatus.Halted;
                                goto Exit;
                            case TrapOutcome.Yield:
                                _status = DlxStatus.Yielded;
                                pc++;
                                goto Exit;
                            case TrapOutcome.OutOfGas:
                                _status = DlxStatus.OutOfGas;
                                goto Refund;
                            case TrapOutcome.Paused:
                                _status = DlxStatus.Paused;
                                goto Refund;
                            default:
                                goto Fault;
                        }
                    }

                    // ---- integer immediate ----
                    case ExecOp.Addi:
                    {
                        int a = r[ins.Rs1], b = ins.Imm, s = a + b;
                        if (((a ^ s) & (b ^ s)) < 0) { fault = DlxFault.Overflow; goto Fault; }
                        r[ins.Rd] = s; pc++; break;
                    }
                    case ExecOp.Addui: r[ins.Rd] = r[ins.Rs1] + ins.Imm; pc++; break;
                    case ExecOp.Subi:
                    {
                        int a = r[ins.Rs1], b = ins.Imm, s = a - b;
                        if (((a ^ b) & (a ^ s)) < 0) { fault = DlxFault.Overflow; goto Fault; }
                        r[ins.Rd] = s; pc++; break;
                    }
                    case ExecOp.Subui: r[ins.Rd] = r[ins.Rs1] - ins.Imm; pc++; break;
                    case ExecOp.Andi: r[ins.Rd] = r[ins.Rs1] & ins.Imm; pc++; break;
                    case ExecOp.Ori: r[ins.Rd] = r[ins.Rs1] | ins.Imm; pc++; break;
                    case ExecOp.Xori: r[ins.Rd] = r[ins.Rs1] ^ ins.Imm; pc++; break;
                    case ExecOp.Lhi: r[ins.Rd] = ins.Imm; pc++; break;
                    case ExecOp.Slli: r[ins.Rd] = r[ins.Rs1] << ins.Imm; pc++; break;
                    case ExecOp.Srli: r[ins.Rd] = (int)((uint)r[ins.Rs1] >> ins.Imm); pc++; break;
                    case ExecOp.Srai: r[ins.Rd] = r[ins.Rs1] >> ins.Imm; pc++; break;
                    case ExecOp.Seqi: r[ins.Rd] = r[ins.Rs1] == ins.Imm ? 1 : 0; pc++; break;
                    case ExecOp.Snei: r[ins.Rd] = r[ins.Rs1] != ins.Imm ? 1 : 0; pc++; break;
                    case ExecOp.Slti: r[ins.Rd] = r[ins.Rs1] < ins.Imm ? 1 : 0; pc++; break;
                    case ExecOp.Sgti: r[ins.Rd] = r[ins.Rs1] > ins.Imm ? 1 : 0; pc++; break;
                    case ExecOp.Slei: r[ins.Rd] = r[ins.Rs1] <= ins.Imm ? 1 : 0; pc++; break;
                    case ExecOp.Sgei: r[ins.Rd] = r[ins.Rs1] >= ins.Imm ? 1 : 0; pc++; break;

                    // ---- loads ----
                    case ExecOp.Lb:
                    {
                        uint a = (uint)(r[ins.Rs1] + ins.Imm);
                        if (a >= limit) { fault = DlxFault.OutOfBounds; goto Fault; }
                        byte[]? page = Unsafe.Add(ref pages0, (nint)(a >> DlxMemory.PageShift));
                        r[ins.Rd] = page is null ? 0 : (sbyte)At(page, a);
                        pc++; break;
                    }
                    case ExecOp.Lbu:
                    {
                        uint a = (uint)(r[ins.Rs1] + ins.Imm);
                        if (a >= limit) { fault = DlxFault.OutOfBounds; goto Fault; }
                        byte[]? page = Unsafe.Add(ref pages0, (nint)(a >> DlxMemory.PageShift));
                        r[ins.Rd] = page is null ? 0 : At(page, a);
                        pc++; break;
                    }
                    case ExecOp.Lh:
                    {
                        uint a = (uint)(r[ins.Rs1] + ins.Imm);
                        if (a > limit - 2) { fault = DlxFault.OutOfBounds; goto Fault; }
                        if ((a & 1) != 0) { fault = DlxFault.MisalignedAccess; goto Fault; }
                        byte[]? page = Unsafe.Add(ref pages0, (nint)(a >> DlxMemory.PageShift));
                        r[ins.Rd] = page is null ? 0 : (short)Read16(page, a);
                        pc++; break;
                    }
                    case ExecOp.Lhu:
                    {
                        uint a = (uint)(r[ins.Rs1] + ins.Imm);
                        if (a > limit - 2) { fault = DlxFault.OutOfBounds; goto Fault; }
                        if ((a & 1) != 0) { fault = DlxFault.MisalignedAccess; goto Fault; }
                        byte[]? page = Unsafe.Add(ref pages0, (nint)(a >> DlxMemory.PageShift));
                        r[ins.Rd] = page is null ? 0 : Read16(page, a);
                        pc++; break;
                    }
                    case ExecOp.Lw:
                    {
                        uint a = (uint)(r[ins.Rs1] + ins.Imm);
                        if (a > limit - 4) { fault = DlxFault.OutOfBounds; goto Fault; }
                        if ((a & 3) != 0) { fault = DlxFault.MisalignedAccess; goto Fault; }
                        byte[]? page = Unsafe.Add(ref pages0, (nint)(a >> DlxMemory.PageShift));
                        r[ins.Rd] = page is null ? 0 : (int)Read32(page, a);
                        pc++; break;
                    }
                    case ExecOp.Lf:
                    {
                        uint a = (uint)(r[ins.Rs1] + ins.Imm);
                        if (a > limit - 4) { fault = DlxFault.OutOfBounds; goto Fault; }
                        if ((a & 3) != 0) { fault = DlxFault.MisalignedAccess; goto Fault; }
                        byte[]? page = Unsafe.Add(ref pages0, (nint)(a >> DlxMemory.PageShift));
                        f[ins.Rd] = page is null ? 0 : Read32(page, a);
                        pc++; break;
                    }
                    case ExecOp.Ld:
                    {
                        uint a = (uint)(r[ins.Rs1] + ins.Imm);
                        if (a > limit - 8) { fault = DlxFault.OutOfBounds; goto Fault; }
                        if ((a & 7) != 0) { fault = DlxFault.MisalignedAccess; goto Fault; }
                        byte[]? page = Unsafe.Add(ref pages0, (nint)(a >> DlxMemory.PageShift));
                        f[ins.Rd] = page is null ? 0 : Read32(page, a);
                        f[ins.Rd + 1] = page is null ? 0 : Read32(page, a + 4);
                        pc++; break;
                    }

                    // ---- stores (never into the code region) ----
                    case ExecOp.Sb:
                    {
                        uint a = (uint)(r[ins.Rs1] + ins.Imm);
                        if (a >= limit) { fault = DlxFault.OutOfBounds; goto Fault; }
                        if (a < codeEnd && a >= codeStart) { fault = DlxFault.WriteToCode; goto Fault; }
                        uint index = a >> DlxMemory.PageShift;
                        byte[] page = Unsafe.Add(ref pages0, (nint)index) ?? _memory.Allocate(index);
                        At(page, a) = (byte)r[ins.Rd];
                        pc++; break;
                    }
                    case ExecOp.Sh:
                    {
                        uint a = (uint)(r[ins.Rs1] + ins.Imm);
                        if (a > limit - 2) { fault = DlxFault.OutOfBounds; goto Fault; }
                        if ((a & 1) != 0) { fault = DlxFault.MisalignedAccess; goto Fault; }
                        if (a < codeEnd && a + 2 > codeStart) { fault = DlxFault.WriteToCode; goto Fault; }
                        uint index = a >> DlxMemory.PageShift;
                        byte[] page = Unsafe.Add(ref pages0, (nint)index) ?? _memory.Allocate(index);
                        Write16(page, a, (ushort)r[ins.Rd]);
                        pc++; break;
                    }
                    case ExecOp.Sw:
                    {
                        uint a = (uint)(r[ins.Rs1] + ins.Imm);
                        if (a > limit - 4) { fault = DlxFault.OutOfBounds; goto Fault; }
                        if ((a & 3) != 0) { fault = DlxFault.MisalignedAccess; goto Fault; }
                        if (a < codeEnd && a + 4 > codeStart) { fault = DlxFault.WriteToCode; goto Fault; }
                        uint index = a >> DlxMemory.PageShift;
                        byte[] page = Unsafe.Add(ref pages0, (nint)index) ?? _memory.Allocate(index);
                        Write32(page, a, (uint)r[ins.Rd]);
                        pc++; break;
                    }
                    case ExecOp.Sf:
                    {
                        uint a = (uint)(r[ins.Rs1] + ins.Imm);
                        if (a > limit - 4) { fault = DlxFault.OutOfBounds; goto Fault; }
                        if ((a & 3) != 0) { fault = DlxFault.MisalignedAccess; goto Fault; }
                        if (a < codeEnd && a + 4 > codeStart) { fault = DlxFault.WriteToCode; goto Fault; }
                        uint index = a >> DlxMemory.PageShift;
                        byte[] page = Unsafe.Add(ref pages0, (nint)index) ?? _memory.Allocate(index);
                        Write32(page, a, f[ins.Rd]);
                        pc++; break;
                    }
                    case ExecOp.Sd:
                    {
                        uint a = (uint)(r[ins.Rs1] + ins.Imm);
                        if (a > limit - 8) { fault = DlxFault.OutOfBounds; goto Fault; }
                        if ((a & 7) != 0) { fault = DlxFault.MisalignedAccess; goto Fault; }
                        if (a < codeEnd && a + 8 > codeStart) { fault = DlxFault.WriteToCode; goto Fault; }
                        uint index = a >> DlxMemory.PageShift;
                        byte[] page = Unsafe.Add(ref pages0, (nint)index) ?? _memory.Allocate(index);
                        Write32(page, a, f[ins.Rd]);
                        Write32(page, a + 4, f[ins.Rd + 1]);
                        pc++; break;
                    }

                    case ExecOp.OutOfCode:
                        fault = DlxFault.BadJumpTarget;
                        goto Fault;
                    default:
                        fault = DlxFault.IllegalInstruction;
                        goto Fault;
                }
                if (TMode.SingleStep) goto Exit;
                continue;

            Transfer:
                if (TMode.SingleStep) goto Exit;
                {
                    ref DecodedInstruction next = ref Unsafe.Add(ref code0, pc);
                    if (gas + next.BlockGas > gasEnd || count + next.BlockLength > countEnd) goto Exit;
                    gas += next.BlockGas;
                    count += next.BlockLength;
                }
            }

        Fault:
            _status = DlxStatus.Faulted;
            _fault = fault;
        Refund:
            {
                // The stopping instruction did not happen: give back its charge and that of the rest of its block.
                ref DecodedInstruction stopped = ref Unsafe.Add(ref code0, pc);
                if (TMode.SingleStep)
                {
                    gas -= GasOf[(int)stopped.Op];
                    count -= 1;
                }
                else
                {
                    gas -= stopped.BlockGas;
                    count -= stopped.BlockLength;
                }
            }
        Exit:
            _pcIndex = pc;
            _gasUsed = gas;
            _instructions = count;
            _fpsr = fpsr;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref byte At(byte[] page, uint address) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(page), (nint)(address & DlxMemory.PageMask));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort Read16(byte[] page, uint address)
    {
        ushort v = Unsafe.ReadUnaligned<ushort>(ref At(page, address));
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(v) : v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Read32(byte[] page, uint address)
    {
        uint v = Unsafe.ReadUnaligned<uint>(ref At(page, address));
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(v) : v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write16(byte[] page, uint address, ushort value) =>
        Unsafe.WriteUnaligned(ref At(page, address), BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write32(byte[] page, uint address, uint value) =>
        Unsafe.WriteUnaligned(ref At(page, address), BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe float Single(uint* f, int index) => BitConverter.UInt32BitsToSingle(f[index]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe double Double(uint* f, int index) => BitConverter.UInt64BitsToDouble((ulong)f[index] << 32 | f[index + 1]);

    /// <summary>Stores an arithmetic result; NaNs are canonicalized so results never depend on the host's NaN payloads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void SetSingle(uint* f, int index, float value) =>
        f[index] = float.IsNaN(value) ? CanonicalNaN32 : BitConverter.SingleToUInt32Bits(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void SetDouble(uint* f, int index, double value)
    {
        ulong bits = double.IsNaN(value) ? CanonicalNaN64 : BitConverter.DoubleToUInt64Bits(value);
        f[index] = (uint)(bits >> 32);
        f[index + 1] = (uint)bits;
    }

    /// <summary>Float to integer: truncation toward zero, saturating at the int range, NaN → 0 (defined on every host).</summary>
    private static int ToInt32(double x) =>
        double.IsNaN(x) ? 0 : x >= int.MaxValue ? int.MaxValue : x <= int.MinValue ? int.MinValue : (int)x;
}
