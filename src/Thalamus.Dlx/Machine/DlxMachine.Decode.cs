using System.Collections.Frozen;

namespace Thalamus.Dlx;

public sealed unsafe partial class DlxMachine
{
    /// <summary>Gas of each <see cref="ExecOp"/> (the pseudo-operations cost nothing: they fault and are refunded).</summary>
    private static readonly int[] GasOf = BuildGasTable();

    private static readonly FrozenDictionary<DlxMnemonic, ExecOp> OpOf =
        Enum.GetValues<DlxMnemonic>().ToFrozenDictionary(m => m, m => Enum.Parse<ExecOp>(m.ToString()));

    private static int[] BuildGasTable()
    {
        var table = new int[256];
        foreach (var info in DlxInstructionSet.All) table[(int)Enum.Parse<ExecOp>(info.Mnemonic.ToString())] = info.Gas;
        return table;
    }

    private static bool EndsBlock(ExecOp op) => op is ExecOp.J or ExecOp.Jal or ExecOp.Beqz or ExecOp.Bnez or ExecOp.Bfpt
        or ExecOp.Bfpf or ExecOp.Rfe or ExecOp.Trap or ExecOp.Jr or ExecOp.Jalr or ExecOp.OutOfCode;

    /// <summary>Decodes the code region once (code is read-only, so this never goes stale) and computes block sums.</summary>
    private void DecodeCode()
    {
        int n = _code.Length - 1;
        for (int i = 0; i < n; i++)
        {
            uint address = _codeStart + (uint)i * 4;
            _code[i] = DecodeWord(_memory.ReadWord(address), address);
        }
        _code[n] = new DecodedInstruction { Op = ExecOp.OutOfCode };
        for (int i = n - 1; i >= 0; i--)
        {
            ref var ins = ref _code[i];
            int gas = GasOf[(int)ins.Op];
            if (EndsBlock(ins.Op))
            {
                ins.BlockGas = gas;
                ins.BlockLength = 1;
            }
            else
            {
                ins.BlockGas = gas + _code[i + 1].BlockGas;
                ins.BlockLength = 1 + _code[i + 1].BlockLength;
            }
        }
    }

    private DecodedInstruction DecodeWord(uint word, uint address)
    {
        var instruction = DlxInstruction.DecodeFields(word, out var info);
        if (info is null) return new DecodedInstruction { Op = ExecOp.Illegal };
        var d = new DecodedInstruction
        {
            Op = OpOf[info.Mnemonic],
            Rd = (byte)instruction.Rd,
            Rs1 = (byte)instruction.Rs1,
            Rs2 = (byte)instruction.Rs2,
            Imm = instruction.Immediate,
        };
        bool illegal = info.Shape switch
        {
            DlxOperandShape.LoadDouble or DlxOperandShape.StoreDouble or DlxOperandShape.DoubleSingle => (d.Rd & 1) != 0,
            DlxOperandShape.DoubleDoubleDouble => ((d.Rd | d.Rs1 | d.Rs2) & 1) != 0,
            DlxOperandShape.DoubleDouble => ((d.Rd | d.Rs1) & 1) != 0,
            DlxOperandShape.SingleDouble => (d.Rs1 & 1) != 0,
            DlxOperandShape.CompareDouble => ((d.Rs1 | d.Rs2) & 1) != 0,
            DlxOperandShape.SpecialGpr => d.Rd > (int)DlxSpecialRegister.Fpsr,
            DlxOperandShape.GprSpecial => d.Rs1 > (int)DlxSpecialRegister.Fpsr,
            _ => false,
        };
        if (illegal) return new DecodedInstruction { Op = ExecOp.Illegal };
        switch (info.Shape)
        {
            case DlxOperandShape.GprGprGpr or DlxOperandShape.GprGprSigned or DlxOperandShape.GprGprUnsigned
                or DlxOperandShape.GprGprShift or DlxOperandShape.GprUnsigned or DlxOperandShape.LoadGpr
                or DlxOperandShape.GprSingle or DlxOperandShape.GprSpecial:
                if (d.Rd == 0) d.Rd = 32; // writes to r0 vanish into the sink slot
                break;
            case DlxOperandShape.BranchGpr or DlxOperandShape.BranchFp or DlxOperandShape.Jump:
                d.Imm = TargetIndex(address + 4 + (uint)instruction.Immediate);
                break;
        }
        if (info.Shape == DlxOperandShape.GprGprShift) d.Imm &= 31;
        if (info.Mnemonic == DlxMnemonic.Lhi) d.Imm <<= 16;
        return d;
    }

    /// <summary>The code index of an address, or -1 if it is not a word of the code region.</summary>
    private int TargetIndex(uint address)
    {
        uint offset = address - _codeStart;
        return offset < _codeEnd - _codeStart && (offset & 3) == 0 ? (int)(offset >> 2) : -1;
    }
}
