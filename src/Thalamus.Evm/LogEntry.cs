using Thalamus.Core;

namespace Thalamus.Evm;

/// <summary>One log emitted by LOG0..LOG4.</summary>
public readonly record struct LogEntry(Address Address, Hash256[] Topics, byte[] Data);
