namespace Thalamus.Dlx;

/// <summary>The three DLX encodings: R = op6|rs1 5|rs2 5|rd 5|func 11, I = op6|rs1 5|rd 5|imm16, J = op6|offset26.</summary>
public enum DlxFormat : byte
{
    R,
    I,
    J,
}
