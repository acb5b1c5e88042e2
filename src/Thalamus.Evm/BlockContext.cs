using Thalamus.Core;

namespace Thalamus.Evm;

/// <summary>The block-level inputs the EVM reads (COINBASE, NUMBER, TIMESTAMP, ... BLOCKHASH).</summary>
public sealed class BlockContext
{
    public Address Coinbase { get; set; }
    public ulong Number { get; set; }
    public ulong Timestamp { get; set; }
    public long GasLimit { get; set; }
    public UInt256 BaseFee { get; set; }

    /// <summary>EIP-4399: the beacon chain randomness returned by PREVRANDAO (0x44).</summary>
    public Hash256 PrevRandao { get; set; }

    /// <summary>EIP-7516: the blob base fee returned by BLOBBASEFEE, also charged per blob gas (EIP-4844).</summary>
    public UInt256 BlobBaseFee { get; set; }

    public ulong ChainId { get; set; } = 1;

    /// <summary>Hash of a block among the 256 before <see cref="Number"/>; null means every BLOCKHASH returns zero.</summary>
    public Func<ulong, Hash256>? BlockHashProvider { get; set; }

    /// <summary>The contracts implemented in C# (calls and warming); the Cancun precompiles unless a cluster adds more.</summary>
    public NativeContracts NativeContracts { get; set; } = NativeContracts.Cancun;

    /// <summary>Answers the cluster's native CrossChainCall contract in this context (live, simulated or replayed); null on a lone chain.</summary>
    public ICrossChainCallHandler? CrossChainCalls { get; set; }

    /// <summary>Admits each transaction of the block by what it did (a cluster's cross-chain sends); null admits all.</summary>
    public ITransactionAdmission? Admission { get; set; }
}
