using System.Net.Sockets;
using Thalamus.Crypto;
using Thalamus.Storage;

namespace Thalamus.Cli.Hosting;

/// <summary>
/// The failures a user can cause when starting chains (a busy port, a bad mnemonic, a foreign or
/// newer database, an unwritable data directory, a fork's remote that stops answering): printed as one clear line, never a stack trace.
/// </summary>
public static class HostFailure
{
    public static bool IsUserFacing(Exception e) =>
        e is StorageException or MnemonicException or IOException or UnauthorizedAccessException
            or SocketException or InvalidOperationException or ArgumentException or State.RemoteStateException;

    public static string Describe(Exception e) => e switch
    {
        SocketException s => $"cannot listen: {s.Message}",
        IOException io when io.InnerException is SocketException s => $"cannot listen: {s.Message}",
        State.RemoteStateException r => $"the forked chain's state cannot be read: {r.Message}",
        _ => e.Message,
    };
}
