namespace Thalamus.Ddpn;

/// <summary>
/// What a call to the virtualization unit costs in EVM gas (docs/ddpn.md, "Gas"). The unit is native, so
/// these are the unit's own prices, chosen to stay within a block for a 1 MB job and stated here once.
/// </summary>
public static class DdpnGas
{
    /// <summary>DLX gas bought by one unit of EVM gas: a DLX run of g DLX gas costs ceil(g / 4) EVM gas.</summary>
    public const long DlxGasPerEvmGas = 4;

    /// <summary>Every call.</summary>
    public const long Base = 2_000;

    /// <summary>Reading one 32-byte word of the unit's storage.</summary>
    public const long WordRead = 8;

    /// <summary>Writing one 32-byte word whose value changes (an unchanged word costs only its read).</summary>
    public const long WordWrite = 64;

    /// <summary>SHA-256, as the 0x02 precompile: 60 + 12 per 32-byte word.</summary>
    public const long HashBase = 60;
    public const long HashWord = 12;

    /// <summary>A log, as LOGn: 375 + 375 per topic + 8 per data byte.</summary>
    public const long Log = 375;
    public const long LogTopic = 375;
    public const long LogByte = 8;

    /// <summary>Gas a transfer keeps back for its own bookkeeping after the cross-chain call returns.</summary>
    public const long TransferReserve = 40_000;

    public static long Hash(long bytes) => HashBase + HashWord * ((bytes + 31) / 32);

    public static long Dlx(long dlxGas) => (dlxGas + DlxGasPerEvmGas - 1) / DlxGasPerEvmGas;
}
