using System.Collections.Concurrent;
using Thalamus.Core;

namespace Thalamus.Evm;

/// <summary>
/// Process-wide cache of analysed code keyed by code hash, so JUMPDEST analysis runs once per
/// distinct contract. Bounded: when it grows past <see cref="Capacity"/> it starts over, which is
/// cheap compared with the analysis of a working set that large.
/// </summary>
public static class CodeInfoCache
{
    public const int Capacity = 16_384;
    private static readonly ConcurrentDictionary<Hash256, CodeInfo> s_cache = new();

    public static CodeInfo GetOrAdd(in Hash256 codeHash, byte[] code)
    {
        if (code.Length == 0) return CodeInfo.Empty;
        if (s_cache.TryGetValue(codeHash, out var info)) return info;
        info = new CodeInfo(code);
        if (s_cache.Count >= Capacity) s_cache.Clear();
        s_cache.TryAdd(codeHash, info);
        return info;
    }

    public static bool TryGet(in Hash256 codeHash, out CodeInfo info)
    {
        if (s_cache.TryGetValue(codeHash, out var found)) { info = found; return true; }
        info = CodeInfo.Empty;
        return false;
    }
}
