namespace Thalamus.Evm;

/// <summary>The Cancun gas schedule's named constants (the per-opcode static costs are in <see cref="OpcodeTable"/>).</summary>
public static class GasCosts
{
    public const long Memory = 3;            // per word, plus words^2 / 512
    public const long QuadCoefficientDivisor = 512;
    public const long Copy = 3;              // per word copied (CALLDATACOPY, CODECOPY, RETURNDATACOPY, EXTCODECOPY, MCOPY)
    public const long Keccak256Word = 6;
    public const long ExpByte = 50;
    public const long LogData = 8;           // per byte
    public const long LogTopic = 375;

    // EIP-2930: what each access-list entry adds to a transaction's intrinsic gas
    public const long AccessListAddress = 2400;
    public const long AccessListStorageKey = 1900;

    // EIP-2929
    public const long ColdAccountAccess = 2600;
    public const long ColdSload = 2100;
    public const long WarmStorageRead = 100;

    // EIP-2200 / EIP-3529
    public const long SstoreSet = 20000;
    public const long SstoreReset = 5000 - ColdSload;   // 2900
    public const long SstoreClearsScheduleRefund = SstoreReset + AccessListStorageKey; // 4800
    public const long SstoreSentry = 2300;              // EIP-2200: SSTORE needs more than the call stipend left
    public const int RefundQuotient = 5;                 // EIP-3529: refunds capped at gasUsed / 5

    // calls
    public const long CallValueTransfer = 9000;
    public const long CallNewAccount = 25000;
    public const long CallStipend = 2300;
    public const long SelfDestructNewAccount = 25000;

    // creation
    public const long Create = 32000;
    public const long InitCodeWord = 2;      // EIP-3860
    public const long CodeDepositByte = 200;

    public const int MaxCodeSize = 24576;          // EIP-170
    public const int MaxInitCodeSize = 2 * MaxCodeSize; // EIP-3860
    public const int MaxCallDepth = 1024;
    public const int StackLimit = 1024;

    /// <summary>The cost of <paramref name="words"/> words of memory: 3w + w²/512 (needs w &lt; 2^32).</summary>
    public static long MemoryCost(long words) => Memory * words + words * words / QuadCoefficientDivisor;

    /// <summary>ceil(bytes / 32).</summary>
    public static long Words(long bytes) => (bytes + 31) >> 5;
}
