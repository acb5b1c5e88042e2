using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Rpc;
using Thalamus.State;

namespace Thalamus.Cli.Configuration;

/// <summary>
/// <c>--load-state</c> and <c>--dump-state</c> files: anvil's state JSON for one chain, or the cluster
/// dump (<see cref="AnvilStateFormat"/>) holding every chain. Written whole, then renamed, so a
/// reader never sees half a file.
/// </summary>
public static class StateDumpFile
{
    /// <summary>
    /// The genesis accounts of every chain id in <paramref name="chainIds"/> from the file at
    /// <paramref name="path"/>: a cluster dump gives each listed chain its own (and must not list a
    /// chain that is not a member), one chain's dump gives every chain the same.
    /// </summary>
    /// <exception cref="ClusterConfigException">the file cannot be read, is no state dump, or names a chain that is not a member.</exception>
    public static Dictionary<ulong, IReadOnlyDictionary<Address, GenesisAccount>> ReadForChains(string path, IReadOnlyCollection<ulong> chainIds)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(chainIds);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ClusterConfigException($"--load-state {path}: {e.Message}");
        }
        IReadOnlyDictionary<ulong, IReadOnlyList<DumpedAccount>> chains;
        IReadOnlyList<DumpedAccount>? single;
        try
        {
            chains = AnvilStateFormat.Read(bytes, out single);
        }
        catch (FormatException e)
        {
            throw new ClusterConfigException($"--load-state {path}: {e.Message}");
        }
        var result = new Dictionary<ulong, IReadOnlyDictionary<Address, GenesisAccount>>();
        if (single is not null)
        {
            var alloc = ChainStateDump.ToAlloc(single);
            foreach (var id in chainIds) result[id] = alloc;
            return result;
        }
        foreach (var (id, accounts) in chains)
        {
            if (!chainIds.Contains(id))
                throw new ClusterConfigException($"--load-state {path}: the dump holds chain {id}, which is not a member of this cluster ({string.Join(", ", chainIds)})");
            result[id] = ChainStateDump.ToAlloc(accounts);
        }
        return result;
    }

    /// <summary>Writes the cluster dump of <paramref name="chains"/> (every chain's head state) to <paramref name="path"/>.</summary>
    public static void WriteCluster(string path, IEnumerable<MemberChain> chains) =>
        WriteAtomically(path, AnvilStateFormat.ClusterToJson([.. chains.Select(chain => chain.DumpState())]));

    /// <summary>Writes one chain's dump in anvil's format (anvil --load-state reads it).</summary>
    public static void WriteChain(string path, MemberChain chain) => WriteAtomically(path, AnvilStateFormat.ToJson(chain.DumpState()));

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { Length: > 0 } directory) Directory.CreateDirectory(directory);
        var temporary = full + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, full, overwrite: true);
    }
}
