using System.Globalization;
using System.Text;

namespace Thalamus.Dlx;

public sealed unsafe partial class DlxMachine
{
    /// <summary>
    /// Performs a TRAP. Order: check arguments (a bad buffer faults), then charge the data-dependent gas
    /// (not enough: the TRAP does not happen), then act. The TRAP's base cost is already charged.
    /// </summary>
    private TrapOutcome HandleTrap(int number, int pcIndex, ref long gas, out DlxFault fault)
    {
        fault = DlxFault.None;
        TrapOutcome outcome;
        switch ((DlxTrap)number)
        {
            case DlxTrap.Halt:
                SetIar(pcIndex);
                return TrapOutcome.Halt;

            case DlxTrap.InputCount:
                _r[1] = _inputs.Length;
                break;

            case DlxTrap.ReadInput:
            {
                int index = _r[1];
                if ((uint)index >= (uint)_inputs.Length)
                {
                    _r[1] = -1;
                    break;
                }
                byte[] input = _inputs[index];
                uint destination = (uint)_r[2];
                int n = (int)Math.Min((uint)input.Length, (uint)_r[3]);
                if ((fault = CheckWritable(destination, (uint)n)) != DlxFault.None) return TrapOutcome.Fault;
                if ((outcome = ChargeExtra((long)n * DlxGasSchedule.IoPerByte, ref gas)) != TrapOutcome.Continue) return outcome;
                _memory.Write(destination, input.AsSpan(0, n));
                _r[1] = input.Length;
                break;
            }

            case DlxTrap.WriteOutput:
            {
                uint address = (uint)_r[1], length = (uint)_r[2];
                if (!_memory.InRange(address, length)) { fault = DlxFault.OutOfBounds; return TrapOutcome.Fault; }
                if ((fault = CheckOutputRoom(length)) != DlxFault.None) return TrapOutcome.Fault;
                if ((outcome = ChargeExtra(length * (long)DlxGasSchedule.IoPerByte, ref gas)) != TrapOutcome.Continue) return outcome;
                EnsureOutputCapacity((int)length);
                _memory.Read(address, _output.AsSpan(_outputLength, (int)length));
                _outputLength += (int)length;
                break;
            }

            case DlxTrap.StorageRead:
            {
                byte[] value = _storage.TryGetValue((uint)_r[1], out var v) ? v : [];
                uint destination = (uint)_r[2];
                int n = (int)Math.Min((uint)value.Length, (uint)_r[3]);
                if ((fault = CheckWritable(destination, (uint)n)) != DlxFault.None) return TrapOutcome.Fault;
                if ((outcome = ChargeExtra(DlxGasSchedule.StorageRead + (long)n * DlxGasSchedule.IoPerByte, ref gas)) != TrapOutcome.Continue) return outcome;
                _memory.Write(destination, value.AsSpan(0, n));
                _r[1] = value.Length;
                break;
            }

            case DlxTrap.StorageWrite:
            {
                uint key = (uint)_r[1], address = (uint)_r[2], length = (uint)_r[3];
                if (!_memory.InRange(address, length)) { fault = DlxFault.OutOfBounds; return TrapOutcome.Fault; }
                long old = _storage.TryGetValue(key, out var previous) ? previous.Length : 0;
                if (_storageBytes - old + length > _memory.Limit) { fault = DlxFault.ResourceLimit; return TrapOutcome.Fault; }
                if ((outcome = ChargeExtra(DlxGasSchedule.StorageWrite + length * (long)DlxGasSchedule.StorageWritePerByte, ref gas)) != TrapOutcome.Continue) return outcome;
                if (length == 0) _storage.Remove(key);
                else _storage[key] = _memory.Read(address, (int)length);
                _storageBytes += length - old;
                break;
            }

            case DlxTrap.Yield:
                if (_stopAtYield)
                {
                    SetIar(pcIndex);
                    return TrapOutcome.Yield;
                }
                break;

            case DlxTrap.PrintInt:
                if ((outcome = Print(_r[1].ToString(CultureInfo.InvariantCulture), ref gas, out fault)) != TrapOutcome.Continue) return outcome;
                break;

            case DlxTrap.PrintDouble:
            {
                double value = BitConverter.UInt64BitsToDouble((ulong)_f[0] << 32 | _f[1]);
                if ((outcome = Print(value.ToString("R", CultureInfo.InvariantCulture), ref gas, out fault)) != TrapOutcome.Continue) return outcome;
                break;
            }

            case DlxTrap.PrintChar:
                if ((fault = CheckOutputRoom(1)) != DlxFault.None) return TrapOutcome.Fault;
                if ((outcome = ChargeExtra(DlxGasSchedule.IoPerByte, ref gas)) != TrapOutcome.Continue) return outcome;
                EnsureOutputCapacity(1);
                _output[_outputLength++] = (byte)_r[1];
                break;

            default:
                fault = DlxFault.InvalidTrap;
                return TrapOutcome.Fault;
        }
        SetIar(pcIndex);
        return TrapOutcome.Continue;
    }

    private void SetIar(int pcIndex) => _iar = _codeStart + (uint)pcIndex * 4 + 4;

    private TrapOutcome Print(string text, ref long gas, out DlxFault fault)
    {
        int length = Encoding.ASCII.GetByteCount(text);
        if ((fault = CheckOutputRoom((uint)length)) != DlxFault.None) return TrapOutcome.Fault;
        var outcome = ChargeExtra((long)length * DlxGasSchedule.IoPerByte, ref gas);
        if (outcome != TrapOutcome.Continue) return outcome;
        EnsureOutputCapacity(length);
        _outputLength += Encoding.ASCII.GetBytes(text, _output.AsSpan(_outputLength));
        return TrapOutcome.Continue;
    }

    /// <summary>Charges a trap's data-dependent gas, or says why it cannot (program limit first, then the run's budget).</summary>
    private TrapOutcome ChargeExtra(long extra, ref long gas)
    {
        if (gas + extra > _gasLimit) return TrapOutcome.OutOfGas;
        if (gas + extra > _runGasEnd) return TrapOutcome.Paused;
        gas += extra;
        return TrapOutcome.Continue;
    }

    private DlxFault CheckWritable(uint address, uint length)
    {
        if (length == 0) return DlxFault.None;
        if (!_memory.InRange(address, length)) return DlxFault.OutOfBounds;
        if (address < _codeEnd && address + length > _codeStart) return DlxFault.WriteToCode;
        return DlxFault.None;
    }

    private DlxFault CheckOutputRoom(uint length) =>
        (ulong)_outputLength + length > _memory.Limit ? DlxFault.ResourceLimit : DlxFault.None;

    private void EnsureOutputCapacity(int extra)
    {
        int needed = _outputLength + extra;
        if (needed <= _output.Length) return;
        Array.Resize(ref _output, Math.Max(needed, Math.Max(64, _output.Length * 2)));
    }
}
