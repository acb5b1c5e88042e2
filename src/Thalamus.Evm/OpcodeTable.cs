namespace Thalamus.Evm;

/// <summary>
/// The Cancun instruction set: per opcode its name, static gas and stack bounds (geth's jump
/// table, minus the execute function, which is the interpreter's switch). Undefined opcodes have
/// no name and are an exceptional halt.
/// </summary>
public static class OpcodeTable
{
    private static readonly OpcodeInfo[] s_cancun = new OpcodeInfo[256];
    private static readonly string?[] s_names = new string?[256];

    /// <summary>Indexed by opcode; undefined opcodes have zero gas and no stack requirement.</summary>
    public static ReadOnlySpan<OpcodeInfo> Cancun => s_cancun;

    internal static OpcodeInfo[] CancunArray => s_cancun;

    /// <summary>The mnemonic, or null for an undefined opcode.</summary>
    public static string? NameOf(byte opcode) => s_names[opcode];

    public static bool IsDefined(byte opcode) => opcode != 0xfe && s_names[opcode] is not null;

    static OpcodeTable()
    {
        for (var i = 0; i < 256; i++) s_cancun[i] = new OpcodeInfo(0, 0, 0);

        Define(0x00, "STOP", 0, 0, 0);
        Define(0x01, "ADD", 3, 2, 1);
        Define(0x02, "MUL", 5, 2, 1);
        Define(0x03, "SUB", 3, 2, 1);
        Define(0x04, "DIV", 5, 2, 1);
        Define(0x05, "SDIV", 5, 2, 1);
        Define(0x06, "MOD", 5, 2, 1);
        Define(0x07, "SMOD", 5, 2, 1);
        Define(0x08, "ADDMOD", 8, 3, 1);
        Define(0x09, "MULMOD", 8, 3, 1);
        Define(0x0a, "EXP", 10, 2, 1);
        Define(0x0b, "SIGNEXTEND", 5, 2, 1);
        Define(0x10, "LT", 3, 2, 1);
        Define(0x11, "GT", 3, 2, 1);
        Define(0x12, "SLT", 3, 2, 1);
        Define(0x13, "SGT", 3, 2, 1);
        Define(0x14, "EQ", 3, 2, 1);
        Define(0x15, "ISZERO", 3, 1, 1);
        Define(0x16, "AND", 3, 2, 1);
        Define(0x17, "OR", 3, 2, 1);
        Define(0x18, "XOR", 3, 2, 1);
        Define(0x19, "NOT", 3, 1, 1);
        Define(0x1a, "BYTE", 3, 2, 1);
        Define(0x1b, "SHL", 3, 2, 1);
        Define(0x1c, "SHR", 3, 2, 1);
        Define(0x1d, "SAR", 3, 2, 1);
        Define(0x20, "KECCAK256", 30, 2, 1);
        Define(0x30, "ADDRESS", 2, 0, 1);
        Define(0x31, "BALANCE", 100, 1, 1);
        Define(0x32, "ORIGIN", 2, 0, 1);
        Define(0x33, "CALLER", 2, 0, 1);
        Define(0x34, "CALLVALUE", 2, 0, 1);
        Define(0x35, "CALLDATALOAD", 3, 1, 1);
        Define(0x36, "CALLDATASIZE", 2, 0, 1);
        Define(0x37, "CALLDATACOPY", 3, 3, 0);
        Define(0x38, "CODESIZE", 2, 0, 1);
        Define(0x39, "CODECOPY", 3, 3, 0);
        Define(0x3a, "GASPRICE", 2, 0, 1);
        Define(0x3b, "EXTCODESIZE", 100, 1, 1);
        Define(0x3c, "EXTCODECOPY", 100, 4, 0);
        Define(0x3d, "RETURNDATASIZE", 2, 0, 1);
        Define(0x3e, "RETURNDATACOPY", 3, 3, 0);
        Define(0x3f, "EXTCODEHASH", 100, 1, 1);
        Define(0x40, "BLOCKHASH", 20, 1, 1);
        Define(0x41, "COINBASE", 2, 0, 1);
        Define(0x42, "TIMESTAMP", 2, 0, 1);
        Define(0x43, "NUMBER", 2, 0, 1);
        Define(0x44, "PREVRANDAO", 2, 0, 1);
        Define(0x45, "GASLIMIT", 2, 0, 1);
        Define(0x46, "CHAINID", 2, 0, 1);
        Define(0x47, "SELFBALANCE", 5, 0, 1);
        Define(0x48, "BASEFEE", 2, 0, 1);
        Define(0x49, "BLOBHASH", 3, 1, 1);
        Define(0x4a, "BLOBBASEFEE", 2, 0, 1);
        Define(0x50, "POP", 2, 1, 0);
        Define(0x51, "MLOAD", 3, 1, 1);
        Define(0x52, "MSTORE", 3, 2, 0);
        Define(0x53, "MSTORE8", 3, 2, 0);
        Define(0x54, "SLOAD", 0, 1, 1);   // all dynamic: 100 warm / 2100 cold
        Define(0x55, "SSTORE", 0, 2, 0);  // all dynamic (EIP-2200/2929/3529)
        Define(0x56, "JUMP", 8, 1, 0);
        Define(0x57, "JUMPI", 10, 2, 0);
        Define(0x58, "PC", 2, 0, 1);
        Define(0x59, "MSIZE", 2, 0, 1);
        Define(0x5a, "GAS", 2, 0, 1);
        Define(0x5b, "JUMPDEST", 1, 0, 0);
        Define(0x5c, "TLOAD", 100, 1, 1);
        Define(0x5d, "TSTORE", 100, 2, 0);
        Define(0x5e, "MCOPY", 3, 3, 0);
        Define(0x5f, "PUSH0", 2, 0, 1);
        for (var n = 1; n <= 32; n++) Define((byte)(0x5f + n), "PUSH" + n, 3, 0, 1);
        for (var n = 1; n <= 16; n++) Define((byte)(0x7f + n), "DUP" + n, 3, n, n + 1);
        for (var n = 1; n <= 16; n++) Define((byte)(0x8f + n), "SWAP" + n, 3, n + 1, n + 1);
        for (var n = 0; n <= 4; n++) Define((byte)(0xa0 + n), "LOG" + n, 375 * (1 + n), 2 + n, 0);
        Define(0xf0, "CREATE", (int)GasCosts.Create, 3, 1);
        Define(0xf1, "CALL", 100, 7, 1);
        Define(0xf2, "CALLCODE", 100, 7, 1);
        Define(0xf3, "RETURN", 0, 2, 0);
        Define(0xf4, "DELEGATECALL", 100, 6, 1);
        Define(0xf5, "CREATE2", (int)GasCosts.Create, 4, 1);
        Define(0xfa, "STATICCALL", 100, 6, 1);
        Define(0xfd, "REVERT", 0, 2, 0);
        s_names[0xfe] = "INVALID"; // designated invalid: named for traces, still an exceptional halt
        Define(0xff, "SELFDESTRUCT", 5000, 1, 0);
    }

    private static void Define(byte opcode, string name, int gas, int inputs, int outputs)
    {
        s_cancun[opcode] = new OpcodeInfo(gas, inputs, outputs);
        s_names[opcode] = name;
    }
}
