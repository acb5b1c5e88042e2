using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Thalamus.Dlx;

public sealed unsafe partial class DlxMachine
{
    private const uint CanonicalNaN32 = 0x7FC00000;
    private const ulong CanonicalNaN64 = 0x7FF8000000000000;

    /// <summary>
    /// The interpreter loop. In <see cref="BlockMode"/> the caller has charged the block at PC; the loop
    /// runs instructions without any budget check until a control transfer, then charges the next block
    /// if it fits and goes on, or returns. In <see cref="StepMode"/> it runs the one pre-charged
    /// instruction. A fault refunds what was charged for the faulting instruction and the rest of its
    /// block, so gas and instruction counts are exact. No allocation except first touch of a page.
    /// Only the instruction pointer, the register files, the page tables and the limit live in locals
    /// (so that the JIT keeps them in registers); everything rarely used stays in fields.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Execute<TMode>() where TMode : struct, IExecutionMode
    {
        DecodedInstruction* code = _codePtr;
        DecodedInstruction* ip = code + _pcIndex;
        int* r = _rp;
        uint* f = _fp;
        byte** rt = _memory.ReadTable;
        byte** wt = _memory.WriteTable;
        uint limit = _memory.Limit;
        DlxFault fault;

        while (true)
        {
            switch (ip->Op)
            {
                case ExecOp.Nop: ip++; break;

                // ---- integer register-register ----
                case ExecOp.Sll: r[ip->Rd] = r[ip->Rs1] << r[ip->Rs2]; ip++; break;
                case ExecOp.Srl: r[ip->Rd] = (int)((uint)r[ip->Rs1] >> r[ip->Rs2]); ip++; break;
                case ExecOp.Sra: r[ip->Rd] = r[ip->Rs1] >> r[ip->Rs2]; ip++; break;
                case ExecOp.Add:
                {
                    int a = r[ip->Rs1], b = r[ip->Rs2], s = a + b;
                    if (((a ^ s) & (b ^ s)) < 0) { fault = DlxFault.Overflow; goto Fault; }
                    r[ip->Rd] = s; ip++; break;
                }
                case ExecOp.Addu: r[ip->Rd] = r[ip->Rs1] + r[ip->Rs2]; ip++; break;
                case ExecOp.Sub:
                {
                    int a = r[ip->Rs1], b = r[ip->Rs2], s = a - b;
                    if (((a ^ b) & (a ^ s)) < 0) { fault = DlxFault.Overflow; goto Fault; }
                    r[ip->Rd] = s; ip++; break;
                }
                case ExecOp.Subu: r[ip->Rd] = r[ip->Rs1] - r[ip->Rs2]; ip++; break;
                case ExecOp.And: r[ip->Rd] = r[ip->Rs1] & r[ip->Rs2]; ip++; break;
                case ExecOp.Or: r[ip->Rd] = r[ip->Rs1] | r[ip->Rs2]; ip++; break;
                case ExecOp.Xor: r[ip->Rd] = r[ip->Rs1] ^ r[ip->Rs2]; ip++; break;
                case ExecOp.Seq: r[ip->Rd] = r[ip->Rs1] == r[ip->Rs2] ? 1 : 0; ip++; break;
                case ExecOp.Sne: r[ip->Rd] = r[ip->Rs1] != r[ip->Rs2] ? 1 : 0; ip++; break;
                case ExecOp.Slt: r[ip->Rd] = r[ip->Rs1] < r[ip->Rs2] ? 1 : 0; ip++; break;
                case ExecOp.Sgt: r[ip->Rd] = r[ip->Rs1] > r[ip->Rs2] ? 1 : 0; ip++; break;
                case ExecOp.Sle: r[ip->Rd] = r[ip->Rs1] <= r[ip->Rs2] ? 1 : 0; ip++; break;
                case ExecOp.Sge: r[ip->Rd] = r[ip->Rs1] >= r[ip->Rs2] ? 1 : 0; ip++; break;

                // ---- moves between register files ----
                case ExecOp.Movi2s:
                    if (ip->Rd == (int)DlxSpecialRegister.Iar) _iar = (uint)r[ip->Rs1];
                    else _fpsr = (r[ip->Rs1] & 1) != 0;
                    ip++; break;
                case ExecOp.Movs2i:
                    r[ip->Rd] = ip->Rs1 == (int)DlxSpecialRegister.Iar ? (int)_iar : _fpsr ? 1 : 0;
                    ip++; break;
                case ExecOp.Movf: f[ip->Rd] = f[ip->Rs1]; ip++; break;
                case ExecOp.Movd: f[ip->Rd] = f[ip->Rs1]; f[ip->Rd + 1] = f[ip->Rs1 + 1]; ip++; break;
                case ExecOp.Movfp2i: r[ip->Rd] = (int)f[ip->Rs1]; ip++; break;
                case ExecOp.Movi2fp: f[ip->Rd] = (uint)r[ip->Rs1]; ip++; break;

                // ---- floating point ----
                case ExecOp.Addf: SetSingle(f, ip->Rd, Single(f, ip->Rs1) + Single(f, ip->Rs2)); ip++; break;
                case ExecOp.Subf: SetSingle(f, ip->Rd, Single(f, ip->Rs1) - Single(f, ip->Rs2)); ip++; break;
                case ExecOp.Multf: SetSingle(f, ip->Rd, Single(f, ip->Rs1) * Single(f, ip->Rs2)); ip++; break;
                case ExecOp.Divf: SetSingle(f, ip->Rd, Single(f, ip->Rs1) / Single(f, ip->Rs2)); ip++; break;
                case ExecOp.Addd: SetDouble(f, ip->Rd, Double(f, ip->Rs1) + Double(f, ip->Rs2)); ip++; break;
                case ExecOp.Subd: SetDouble(f, ip->Rd, Double(f, ip->Rs1) - Double(f, ip->Rs2)); ip++; break;
                case ExecOp.Multd: SetDouble(f, ip->Rd, Double(f, ip->Rs1) * Double(f, ip->Rs2)); ip++; break;
                case ExecOp.Divd: SetDouble(f, ip->Rd, Double(f, ip->Rs1) / Double(f, ip->Rs2)); ip++; break;
                case ExecOp.Cvtf2d: SetDouble(f, ip->Rd, Single(f, ip->Rs1)); ip++; break;
                case ExecOp.Cvtf2i: f[ip->Rd] = (uint)ToInt32(Single(f, ip->Rs1)); ip++; break;
                case ExecOp.Cvtd2f: SetSingle(f, ip->Rd, (float)Double(f, ip->Rs1)); ip++; break;
                case ExecOp.Cvtd2i: f[ip->Rd] = (uint)ToInt32(Double(f, ip->Rs1)); ip++; break;
                case ExecOp.Cvti2f: SetSingle(f, ip->Rd, (int)f[ip->Rs1]); ip++; break;
                case ExecOp.Cvti2d: SetDouble(f, ip->Rd, (int)f[ip->Rs1]); ip++; break;
                case ExecOp.Mult: f[ip->Rd] = (uint)((int)f[ip->Rs1] * (int)f[ip->Rs2]); ip++; break;
                case ExecOp.Multu: f[ip->Rd] = f[ip->Rs1] * f[ip->Rs2]; ip++; break;
                case ExecOp.Div:
                {
                    int a = (int)f[ip->Rs1], b = (int)f[ip->Rs2];
                    if (b == 0) { fault = DlxFault.DivisionByZero; goto Fault; }
                    if (b == -1 && a == int.MinValue) { fault = DlxFault.Overflow; goto Fault; }
                    f[ip->Rd] = (uint)(a / b); ip++; break;
                }
                case ExecOp.Divu:
                {
                    uint b = f[ip->Rs2];
                    if (b == 0) { fault = DlxFault.DivisionByZero; goto Fault; }
                    f[ip->Rd] = f[ip->Rs1] / b; ip++; break;
                }
                case ExecOp.Eqf: _fpsr = Single(f, ip->Rs1) == Single(f, ip->Rs2); ip++; break;
                case ExecOp.Nef: _fpsr = Single(f, ip->Rs1) != Single(f, ip->Rs2); ip++; break;
                case ExecOp.Ltf: _fpsr = Single(f, ip->Rs1) < Single(f, ip->Rs2); ip++; break;
                case ExecOp.Gtf: _fpsr = Single(f, ip->Rs1) > Single(f, ip->Rs2); ip++; break;
                case ExecOp.Lef: _fpsr = Single(f, ip->Rs1) <= Single(f, ip->Rs2); ip++; break;
                case ExecOp.Gef: _fpsr = Single(f, ip->Rs1) >= Single(f, ip->Rs2); ip++; break;
                case ExecOp.Eqd: _fpsr = Double(f, ip->Rs1) == Double(f, ip->Rs2); ip++; break;
                case ExecOp.Ned: _fpsr = Double(f, ip->Rs1) != Double(f, ip->Rs2); ip++; break;
                case ExecOp.Ltd: _fpsr = Double(f, ip->Rs1) < Double(f, ip->Rs2); ip++; break;
                case ExecOp.Gtd: _fpsr = Double(f, ip->Rs1) > Double(f, ip->Rs2); ip++; break;
                case ExecOp.Led: _fpsr = Double(f, ip->Rs1) <= Double(f, ip->Rs2); ip++; break;
                case ExecOp.Ged: _fpsr = Double(f, ip->Rs1) >= Double(f, ip->Rs2); ip++; break;

                // ---- control transfer (each ends a block); a static target of -1 lies outside the code ----
                case ExecOp.J:
                    if (ip->Imm < 0) { fault = DlxFault.BadJumpTarget; goto Fault; }
                    ip = code + ip->Imm;
                    goto Transfer;
                case ExecOp.Jal:
                    if (ip->Imm < 0) { fault = DlxFault.BadJumpTarget; goto Fault; }
                    r[31] = (int)(_codeStart + (uint)(ip - code) * 4 + 4);
                    ip = code + ip->Imm;
                    goto Transfer;
                case ExecOp.Beqz:
                    if (r[ip->Rs1] != 0) { ip++; goto Transfer; }
                    if (ip->Imm < 0) { fault = DlxFault.BadJumpTarget; goto Fault; }
                    ip = code + ip->Imm;
                    goto Transfer;
                case ExecOp.Bnez:
                    if (r[ip->Rs1] == 0) { ip++; goto Transfer; }
                    if (ip->Imm < 0) { fault = DlxFault.BadJumpTarget; goto Fault; }
                    ip = code + ip->Imm;
                    goto Transfer;
                case ExecOp.Bfpt:
                    if (!_fpsr) { ip++; goto Transfer; }
                    if (ip->Imm < 0) { fault = DlxFault.BadJumpTarget; goto Fault; }
                    ip = code + ip->Imm;
                    goto Transfer;
                case ExecOp.Bfpf:
                    if (_fpsr) { ip++; goto Transfer; }
                    if (ip->Imm < 0) { fault = DlxFault.BadJumpTarget; goto Fault; }
                    ip = code + ip->Imm;
                    goto Transfer;
                case ExecOp.Jr:
                {
                    uint offset = (uint)r[ip->Rs1] - _codeStart;
                    if (offset >= _codeEnd - _codeStart || (offset & 3) != 0) { fault = DlxFault.BadJumpTarget; goto Fault; }
                    ip = code + (offset >> 2);
                    goto Transfer;
                }
                case ExecOp.Jalr:
                {
                    uint offset = (uint)r[ip->Rs1] - _codeStart;
                    if (offset >= _codeEnd - _codeStart || (offset & 3) != 0) { fault = DlxFault.BadJumpTarget; goto Fault; }
                    r[31] = (int)(_codeStart + (uint)(ip - code) * 4 + 4);
                    ip = code + (offset >> 2);
                    goto Transfer;
                }
                case ExecOp.Rfe:
                {
                    uint offset = _iar - _codeStart;
                    if (offset >= _codeEnd - _codeStart || (offset & 3) != 0) { fault = DlxFault.BadJumpTarget; goto Fault; }
                    ip = code + (offset >> 2);
                    goto Transfer;
                }
                case ExecOp.Trap:
                    switch (HandleTrap(ip->Imm, (int)(ip - code), ref _gasUsed, out fault))
                    {
                        case TrapOutcome.Continue:
                            ip++;
                            goto Transfer;
                        case TrapOutcome.Halt:
                            _status = DlxStatus.Halted;
                            goto Exit;
                        case TrapOutcome.Yield:
                            _status = DlxStatus.Yielded;
                            ip++;
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

                // ---- integer immediate ----
                case ExecOp.Addi:
                {
                    int a = r[ip->Rs1], b = ip->Imm, s = a + b;
                    if (((a ^ s) & (b ^ s)) < 0) { fault = DlxFault.Overflow; goto Fault; }
                    r[ip->Rd] = s; ip++; break;
                }
                case ExecOp.Addui: r[ip->Rd] = r[ip->Rs1] + ip->Imm; ip++; break;
                case ExecOp.Subi:
                {
                    int a = r[ip->Rs1], b = ip->Imm, s = a - b;
                    if (((a ^ b) & (a ^ s)) < 0) { fault = DlxFault.Overflow; goto Fault; }
                    r[ip->Rd] = s; ip++; break;
                }
                case ExecOp.Subui: r[ip->Rd] = r[ip->Rs1] - ip->Imm; ip++; break;
                case ExecOp.Andi: r[ip->Rd] = r[ip->Rs1] & ip->Imm; ip++; break;
                case ExecOp.Ori: r[ip->Rd] = r[ip->Rs1] | ip->Imm; ip++; break;
                case ExecOp.Xori: r[ip->Rd] = r[ip->Rs1] ^ ip->Imm; ip++; break;
                case ExecOp.Lhi: r[ip->Rd] = ip->Imm; ip++; break;
                case ExecOp.Slli: r[ip->Rd] = r[ip->Rs1] << ip->Imm; ip++; break;
                case ExecOp.Srli: r[ip->Rd] = (int)((uint)r[ip->Rs1] >> ip->Imm); ip++; break;
                case ExecOp.Srai: r[ip->Rd] = r[ip->Rs1] >> ip->Imm; ip++; break;
                case ExecOp.Seqi: r[ip->Rd] = r[ip->Rs1] == ip->Imm ? 1 : 0; ip++; break;
                case ExecOp.Snei: r[ip->Rd] = r[ip->Rs1] != ip->Imm ? 1 : 0; ip++; break;
                case ExecOp.Slti: r[ip->Rd] = r[ip->Rs1] < ip->Imm ? 1 : 0; ip++; break;
                case ExecOp.Sgti: r[ip->Rd] = r[ip->Rs1] > ip->Imm ? 1 : 0; ip++; break;
                case ExecOp.Slei: r[ip->Rd] = r[ip->Rs1] <= ip->Imm ? 1 : 0; ip++; break;
                case ExecOp.Sgei: r[ip->Rd] = r[ip->Rs1] >= ip->Imm ? 1 : 0; ip++; break;

                // ---- loads (absent pages read as the zero page) ----
                case ExecOp.Lb:
                {
                    uint a = (uint)(r[ip->Rs1] + ip->Imm);
                    if (a >= limit) { fault = DlxFault.OutOfBounds; goto Fault; }
                    r[ip->Rd] = *(sbyte*)(rt[a >> DlxMemory.PageShift] + (a & DlxMemory.PageMask));
                    ip++; break;
                }
                case ExecOp.Lbu:
                {
                    uint a = (uint)(r[ip->Rs1] + ip->Imm);
                    if (a >= limit) { fault = DlxFault.OutOfBounds; goto Fault; }
                    r[ip->Rd] = rt[a >> DlxMemory.PageShift][a & DlxMemory.PageMask];
                    ip++; break;
                }
                case ExecOp.Lh:
                {
                    uint a = (uint)(r[ip->Rs1] + ip->Imm);
                    if (a > limit - 2) { fault = DlxFault.OutOfBounds; goto Fault; }
                    if ((a & 1) != 0) { fault = DlxFault.MisalignedAccess; goto Fault; }
                    r[ip->Rd] = (short)Load16(rt[a >> DlxMemory.PageShift] + (a & DlxMemory.PageMask));
                    ip++; break;
                }
                case ExecOp.Lhu:
                {
                    uint a = (uint)(r[ip->Rs1] + ip->Imm);
                    if (a > limit - 2) { fault = DlxFault.OutOfBounds; goto Fault; }
                    if ((a & 1) != 0) { fault = DlxFault.MisalignedAccess; goto Fault; }
                    r[ip->Rd] = Load16(rt[a >> DlxMemory.PageShift] + (a & DlxMemory.PageMask));
                    ip++; break;
                }
                case ExecOp.Lw:
                {
                    uint a = (uint)(r[ip->Rs1] + ip->Imm);
                    if (a > limit - 4) { fault = DlxFault.OutOfBounds; goto Fault; }
                    if ((a & 3) != 0) { fault = DlxFault.MisalignedAccess; goto Fault; }
                    r[ip->Rd] = (int)Load32(rt[a >> DlxMemory.PageShift] + (a & DlxMemory.PageMask));
                    ip++; break;
                }
                case ExecOp.Lf:
                {
                    uint a = (uint)(r[ip->Rs1] + ip->Imm);
                    if (a > limit - 4) { fault = DlxFault.OutOfBounds; goto Fault; }
                    if ((a & 3) != 0) { fault = DlxFault.MisalignedAccess; goto Fault; }
                    f[ip->Rd] = Load32(rt[a >> DlxMemory.PageShift] + (a & DlxMemory.PageMask));
                    ip++; break;
                }
                case ExecOp.Ld:
                {
                    uint a = (uint)(r[ip->Rs1] + ip->Imm);
                    if (a > limit - 8) { fault = DlxFault.OutOfBounds; goto Fault; }
                    if ((a & 7) != 0) { fault = DlxFault.MisalignedAccess; goto Fault; }
                    byte* p = rt[a >> DlxMemory.PageShift] + (a & DlxMemory.PageMask);
                    f[ip->Rd] = Load32(p);
                    f[ip->Rd + 1] = Load32(p + 4);
                    ip++; break;
                }

                // ---- stores (never into the code region; a page is allocated on first touch) ----
                case ExecOp.Sb:
                {
                    uint a = (uint)(r[ip->Rs1] + ip->Imm);
                    if (a >= limit) { fault = DlxFault.OutOfBounds; goto Fault; }
                    if (a < _codeEnd && a >= _codeStart) { fault = DlxFault.WriteToCode; goto Fault; }
                    byte* page = wt[a >> DlxMemory.PageShift];
                    if (page == null) page = _memory.Allocate(a >> DlxMemory.PageShift);
                    page[a & DlxMemory.PageMask] = (byte)r[ip->Rd];
                    ip++; break;
                }
                case ExecOp.Sh:
                {
                    uint a = (uint)(r[ip->Rs1] + ip->Imm);
                    if (a > limit - 2) { fault = DlxFault.OutOfBounds; goto Fault; }
                    if ((a & 1) != 0) { fault = DlxFault.MisalignedAccess; goto Fault; }
                    if (a < _codeEnd && a + 2 > _codeStart) { fault = DlxFault.WriteToCode; goto Fault; }
                    byte* page = wt[a >> DlxMemory.PageShift];
                    if (page == null) page = _memory.Allocate(a >> DlxMemory.PageShift);
                    Store16(page + (a & DlxMemory.PageMask), (ushort)r[ip->Rd]);
                    ip++; break;
                }
                case ExecOp.Sw:
                {
                    uint a = (uint)(r[ip->Rs1] + ip->Imm);
                    if (a > limit - 4) { fault = DlxFault.OutOfBounds; goto Fault; }
                    if ((a & 3) != 0) { fault = DlxFault.MisalignedAccess; goto Fault; }
                    if (a < _codeEnd && a + 4 > _codeStart) { fault = DlxFault.WriteToCode; goto Fault; }
                    byte* page = wt[a >> DlxMemory.PageShift];
                    if (page == null) page = _memory.Allocate(a >> DlxMemory.PageShift);
                    Store32(page + (a & DlxMemory.PageMask), (uint)r[ip->Rd]);
                    ip++; break;
                }
                case ExecOp.Sf:
                {
                    uint a = (uint)(r[ip->Rs1] + ip->Imm);
                    if (a > limit - 4) { fault = DlxFault.OutOfBounds; goto Fault; }
                    if ((a & 3) != 0) { fault = DlxFault.MisalignedAccess; goto Fault; }
                    if (a < _codeEnd && a + 4 > _codeStart) { fault = DlxFault.WriteToCode; goto Fault; }
                    byte* page = wt[a >> DlxMemory.PageShift];
                    if (page == null) page = _memory.Allocate(a >> DlxMemory.PageShift);
                    Store32(page + (a & DlxMemory.PageMask), f[ip->Rd]);
                    ip++; break;
                }
                case ExecOp.Sd:
                {
                    uint a = (uint)(r[ip->Rs1] + ip->Imm);
                    if (a > limit - 8) { fault = DlxFault.OutOfBounds; goto Fault; }
                    if ((a & 7) != 0) { fault = DlxFault.MisalignedAccess; goto Fault; }
                    if (a < _codeEnd && a + 8 > _codeStart) { fault = DlxFault.WriteToCode; goto Fault; }
                    byte* page = wt[a >> DlxMemory.PageShift];
                    if (page == null) page = _memory.Allocate(a >> DlxMemory.PageShift);
                    byte* p = page + (a & DlxMemory.PageMask);
                    Store32(p, f[ip->Rd]);
                    Store32(p + 4, f[ip->Rd + 1]);
                    ip++; break;
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
            if (_gasUsed + ip->BlockGas > _runGasEnd || _instructions + ip->BlockLength > _runCountEnd) goto Exit;
            _gasUsed += ip->BlockGas;
            _instructions += ip->BlockLength;
        }

    Fault:
        _status = DlxStatus.Faulted;
        _fault = fault;
    Refund:
        // The stopping instruction did not happen: give back its charge and that of the rest of its block.
        if (TMode.SingleStep)
        {
            _gasUsed -= GasOf[(int)ip->Op];
            _instructions -= 1;
        }
        else
        {
            _gasUsed -= ip->BlockGas;
            _instructions -= ip->BlockLength;
        }
    Exit:
        _pcIndex = (int)(ip - code);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort Load16(byte* p)
    {
        ushort v = Unsafe.ReadUnaligned<ushort>(p);
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(v) : v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Load32(byte* p)
    {
        uint v = Unsafe.ReadUnaligned<uint>(p);
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(v) : v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store16(byte* p, ushort value) =>
        Unsafe.WriteUnaligned(p, BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store32(byte* p, uint value) =>
        Unsafe.WriteUnaligned(p, BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Single(uint* f, int index) => BitConverter.UInt32BitsToSingle(f[index]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Double(uint* f, int index) => BitConverter.UInt64BitsToDouble((ulong)f[index] << 32 | f[index + 1]);

    /// <summary>Stores an arithmetic result; NaNs are canonicalized so results never depend on the host's NaN payloads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetSingle(uint* f, int index, float value) =>
        f[index] = float.IsNaN(value) ? CanonicalNaN32 : BitConverter.SingleToUInt32Bits(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetDouble(uint* f, int index, double value)
    {
        ulong bits = double.IsNaN(value) ? CanonicalNaN64 : BitConverter.DoubleToUInt64Bits(value);
        f[index] = (uint)(bits >> 32);
        f[index + 1] = (uint)bits;
    }

    /// <summary>Float to integer: truncation toward zero, saturating at the int range, NaN → 0 (defined on every host).</summary>
    private static int ToInt32(double x) =>
        double.IsNaN(x) ? 0 : x >= int.MaxValue ? int.MaxValue : x <= int.MinValue ? int.MinValue : (int)x;
}
