using Thalamus.Core;

namespace Thalamus.State;

/// <summary>
/// The state of another chain at one pinned block, read on demand (fork mode): a <see cref="WorldState"/>
/// given one asks it for every account and slot its own trie does not hold. Implementations may
/// block on I/O and must be thread-safe (calls run on several threads); a failure is a
/// <see cref="RemoteStateException"/>, which fails the operation that needed the value.
/// </summary>
public interface IRemoteStateSource
{
    /// <summary>The account at the pinned block; null when it does not exist there (no nonce, balance or code).</summary>
    RemoteAccount? GetAccount(in Address address);

    /// <summary>One storage slot at the pinned block (zero when unset).</summary>
    UInt256 GetStorage(in Address address, in UInt256 slot);
}

/// <summary>An account as a remote chain has it.</summary>
public sealed record RemoteAccount(ulong Nonce, UInt256 Balance, byte[] Code);

/// <summary>A value needed from the remote chain could not be read (unreachable, an error answer, a malformed reply).</summary>
public sealed class RemoteStateException : Exception
{
    public RemoteStateException(string message) : base(message) { }

    public RemoteStateException(string message, Exception inner) : base(message, inner) { }

    public RemoteStateException() { }
}
