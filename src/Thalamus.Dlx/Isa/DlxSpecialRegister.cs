namespace Thalamus.Dlx;

/// <summary>Special registers reachable through MOVI2S / MOVS2I (the number is the register field).</summary>
public enum DlxSpecialRegister : byte
{
    /// <summary>Interrupt address register: TRAP stores PC + 4 here, RFE jumps to it.</summary>
    Iar = 0,

    /// <summary>Floating-point status: bit 0 is the comparison flag tested by BFPT/BFPF.</summary>
    Fpsr = 1,
}
