using System.Text.Json;

namespace Thalamus.Rpc;

// anvil_dumpState and anvil_loadState, in anvil's shapes (AnvilStateFormat).
public sealed partial class RpcDispatcher
{
    /// <summary>anvil_dumpState([preserveHistoricalStates]): hex of the gzip-compressed JSON state (<see cref="AnvilStateFormat"/>).</summary>
    private void DumpState(ref ParamReader p, Utf8JsonWriter w)
    {
        // anvil's optional flag keeps its in-memory historical states; Thalamus keeps every state in its store.
        p.ReadOptionalBool("preserveHistoricalStates", false);
        p.End();
        w.WriteData(AnvilStateFormat.ToGzip(Backend.DumpState()));
    }

    /// <summary>
    /// anvil_loadState(hex): merges the accounts of a dump (gzip-compressed or plain JSON; anvil's
    /// own or Thalamus's) into the head state; true. A cluster dump loads this chain's entry.
    /// </summary>
    private void LoadState(ref ParamReader p, Utf8JsonWriter w)
    {
        var bytes = p.ReadData("state");
        p.End();
        IReadOnlyList<Thalamus.State.DumpedAccount> accounts;
        try
        {
            var chains = AnvilStateFormat.Read(bytes, out var single);
            accounts = single ?? (chains.TryGetValue(Backend.ChainId, out var mine) ? mine
                : throw RpcException.InvalidParams($"Failed to decode state dump: the cluster dump has no chain {Backend.ChainId}"));
        }
        catch (FormatException e)
        {
            // anvil answers -32602 "Failed to decode state dump"; the reason follows.
            throw RpcException.InvalidParams("Failed to decode state dump: " + e.Message);
        }
        Backend.LoadState(accounts.ToArray());
        w.WriteBooleanValue(true);
    }
}
