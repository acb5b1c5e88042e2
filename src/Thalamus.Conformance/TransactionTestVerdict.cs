using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Conformance;

/// <summary>
/// What this client makes of a test's bytes: a transaction and its sender; a typed rejection
/// (<see cref="Error"/>); or a crash with any other exception type (<see cref="Crash"/>), which
/// is a bug even when the case expects a rejection.
/// </summary>
public readonly record struct TransactionTestVerdict(Transaction? Transaction, Address? Sender, string? Error, string? Crash);
