using System.IO.Compression;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Settlement;

/// <summary>One block of a batch: the settlement slot it was sealed in, its chain, the block with its cluster section.</summary>
public sealed record BatchBlock(ulong Slot, ulong ChainId, Block Block);

/// <summary>What a member chain's re-execution needs besides its blocks: the profile's rules and the genesis.</summary>
public sealed record ChainSpec(ChainProfile Profile, GenesisConfig Genesis);

/// <summary>A batch's data, decoded.</summary>
/// <param name="Genesis">The genesis section the contract commits to (the batch starting at slot 1), else empty.</param>
/// <param name="Chains">The chains the batch covers (the members at its last slot), ascending; null in version-1 data.</param>
/// <param name="Joined">The genesis section of the chains that joined the cluster since the previous batch (empty when none).</param>
public sealed record BatchContents(ulong FirstSlot, ulong LastSlot, byte[] Genesis, IReadOnlyList<BatchBlock> Blocks, IReadOnlyList<ulong>? Chains, byte[] Joined);

/// <summary>
/// The data an assertion posts as calldata: <c>brotli(rlp([version, firstSlot, lastSlot, genesis, [[slot, chainId,
/// blockRlp, section], ...], [chainId, ...], joined]))</c>, where <c>genesis</c> is the genesis section
/// (<see cref="GenesisCodec"/>) in the batch that starts at slot 1 and empty otherwise, <c>blockRlp</c> the Ethereum
/// encoding of the block (header and transactions), <c>section</c> its cluster section (empty when none), the chain ids
/// the chains the batch covers (the members at its last slot: a chain removed is no longer listed) and <c>joined</c>
/// the genesis section of the chains added since the previous batch (empty when none). Enough, with the genesis, to
/// rebuild every member chain from the parent alone. Version 1 (without the last two fields) still decodes.
/// </summary>
public static class BatchCodec
{
    public const ulong Version = 2;

    /// <summary>The most a batch may decompress to (a bound against a decompression bomb in the verifier).</summary>
    public const int MaxDecodedBytes = 256 * 1024 * 1024;

    public static byte[] Encode(ulong firstSlot, ulong lastSlot, byte[] genesis, IReadOnlyList<BatchBlock> blocks) =>
        Encode(firstSlot, lastSlot, genesis, blocks, [.. blocks.Select(b => b.ChainId).Distinct().Order()], []);

    public static byte[] Encode(ulong firstSlot, ulong lastSlot, byte[] genesis, IReadOnlyList<BatchBlock> blocks, IReadOnlyList<ulong> chains, byte[] joined)
    {
        ArgumentNullException.ThrowIfNull(chains);
        ArgumentNullException.ThrowIfNull(joined);
        ArgumentNullException.ThrowIfNull(genesis);
        ArgumentNullException.ThrowIfNull(blocks);
        var writer = new RlpWriter(64 * 1024);
        var outer = writer.StartList();
        writer.WriteUInt64(Version);
        writer.WriteUInt64(firstSlot);
        writer.WriteUInt64(lastSlot);
        writer.WriteBytes(genesis);
        var list = writer.StartList();
        foreach (var entry in blocks)
        {
            var item = writer.StartList();
            writer.WriteUInt64(entry.Slot);
            writer.WriteUInt64(entry.ChainId);
            writer.WriteBytes(entry.Block.Encode());
            writer.WriteBytes(entry.Block.ClusterSection ?? []);
            writer.EndList(item);
        }
        writer.EndList(list);
        var ids = writer.StartList();
        foreach (var id in chains) writer.WriteUInt64(id);
        writer.EndList(ids);
        writer.WriteBytes(joined);
        writer.EndList(outer);
        return Compress(writer.WrittenSpan);
    }

    /// <exception cref="SettlementDataException">the data does not decompress or decode, with what and where.</exception>
    public static BatchContents Decode(ReadOnlySpan<byte> data)
    {
        var raw = Decompress(data);
        try
        {
            var outer = new RlpReader(raw);
            var fields = outer.ReadList();
            outer.EnsureEnd();
            var version = fields.ReadUInt64();
            if (version is not (1 or Version)) throw new SettlementDataException($"batch data version {version} is not 1 or {Version}");
            var first = fields.ReadUInt64();
            var last = fields.ReadUInt64();
            var genesis = fields.ReadBytes().ToArray();
            var list = fields.ReadList();
            var blocks = new List<BatchBlock>();
            while (list.HasMore)
            {
                var item = list.ReadList();
                var slot = item.ReadUInt64();
                var chainId = item.ReadUInt64();
                Block block;
                try
                {
                    block = Block.Decode(item.ReadBytes());
                }
                catch (TransactionDecodingException e)
                {
                    throw new SettlementDataException($"block {blocks.Count} of the batch (chain {chainId}, slot {slot}) has a malformed transaction: {e.Message}", e);
                }
                var section = item.ReadBytes();
                item.EnsureEnd();
                blocks.Add(new BatchBlock(slot, chainId, new Block(block.Header, block.Transactions, block.Withdrawals, section.Length == 0 ? null : section.ToArray())));
            }
            List<ulong>? chains = null;
            byte[] joined = [];
            if (version >= 2)
            {
                chains = [];
                var ids = fields.ReadList();
                while (ids.HasMore) chains.Add(ids.ReadUInt64());
                joined = fields.ReadBytes().ToArray();
            }
            fields.EnsureEnd();
            return new BatchContents(first, last, genesis, blocks, chains, joined);
        }
        catch (RlpException e)
        {
            throw new SettlementDataException($"the batch data is not valid RLP: {e.Message}", e);
        }
    }

    private static byte[] Compress(ReadOnlySpan<byte> raw)
    {
        using var output = new MemoryStream(raw.Length / 3 + 64);
        using (var brotli = new BrotliStream(output, CompressionLevel.Optimal, leaveOpen: true)) brotli.Write(raw);
        return output.ToArray();
    }

    private static byte[] Decompress(ReadOnlySpan<byte> data)
    {
        try
        {
            using var input = new MemoryStream(data.ToArray());
            using var brotli = new BrotliStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = brotli.Read(buffer)) > 0)
            {
                if (output.Length + read > MaxDecodedBytes) throw new SettlementDataException($"the batch data decompresses to more than {MaxDecodedBytes} bytes");
                output.Write(buffer, 0, read);
            }
            return output.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException)
        {
            // BrotliStream reports corrupt input as InvalidOperationException ("Decoder ran into invalid data").
            throw new SettlementDataException($"the batch data is not Brotli-compressed: {e.Message}", e);
        }
    }
}

/// <summary>
/// The genesis section: <c>rlp([[chainId, name, blockGasLimit, elasticity, baseFeeDenominator, minBaseFee, coinbase,
/// allowEqualTimestamps, timestamp, genesisGasLimit, genesisBaseFee, extraData, genesisCoinbase, prevRandao,
/// [[address, balance, nonce, code, [[slot, value], ...]], ...]], ...])</c>, accounts and slots in ascending order.
/// Its keccak256 is the contract's <c>genesisCommitment</c>.
/// </summary>
public static class GenesisCodec
{
    public static byte[] Encode(IReadOnlyList<ChainSpec> chains)
    {
        ArgumentNullException.ThrowIfNull(chains);
        var writer = new RlpWriter(64 * 1024);
        var outer = writer.StartList();
        foreach (var (profile, genesis) in chains)
        {
            var chain = writer.StartList();
            writer.WriteUInt64(profile.ChainId);
            writer.WriteBytes(System.Text.Encoding.UTF8.GetBytes(profile.Name));
            writer.WriteUInt64(profile.BlockGasLimit);
            writer.WriteUInt64(profile.ElasticityMultiplier);
            writer.WriteUInt64(profile.BaseFeeChangeDenominator);
            writer.WriteUInt256(profile.MinBaseFee);
            writer.WriteAddress(profile.Coinbase);
            writer.WriteBool(profile.AllowEqualTimestamps);
            writer.WriteUInt64(genesis.Timestamp);
            writer.WriteUInt64(genesis.GasLimit);
            writer.WriteUInt256(genesis.BaseFeePerGas);
            writer.WriteBytes(genesis.ExtraData);
            writer.WriteAddress(genesis.Coinbase);
            writer.WriteHash256(genesis.PrevRandao);
            var accounts = writer.StartList();
            foreach (var (address, account) in genesis.Alloc.OrderBy(a => a.Key.ToUInt256()))
            {
                var item = writer.StartList();
                writer.WriteAddress(address);
                writer.WriteUInt256(account.Balance);
                writer.WriteUInt64(account.Nonce);
                writer.WriteBytes(account.Code ?? []);
                var storage = writer.StartList();
                foreach (var (slot, value) in (account.Storage ?? new Dictionary<UInt256, UInt256>()).OrderBy(s => s.Key))
                {
                    var pair = writer.StartList();
                    writer.WriteUInt256(slot);
                    writer.WriteUInt256(value);
                    writer.EndList(pair);
                }
                writer.EndList(storage);
                writer.EndList(item);
            }
            writer.EndList(accounts);
            writer.EndList(chain);
        }
        writer.EndList(outer);
        return writer.ToArray();
    }

    /// <exception cref="SettlementDataException">the section does not decode.</exception>
    public static IReadOnlyList<ChainSpec> Decode(ReadOnlySpan<byte> encoded)
    {
        try
        {
            var outer = new RlpReader(encoded);
            var list = outer.ReadList();
            outer.EnsureEnd();
            var chains = new List<ChainSpec>();
            while (list.HasMore)
            {
                var r = list.ReadList();
                var chainId = r.ReadUInt64();
                var profile = new ChainProfile
                {
                    ChainId = chainId,
                    Name = System.Text.Encoding.UTF8.GetString(r.ReadBytes()),
                    BlockGasLimit = r.ReadUInt64(),
                    ElasticityMultiplier = r.ReadUInt64(),
                    BaseFeeChangeDenominator = r.ReadUInt64(),
                    MinBaseFee = r.ReadUInt256(),
                    Coinbase = r.ReadAddress(),
                    AllowEqualTimestamps = r.ReadBool(),
                };
                var timestamp = r.ReadUInt64();
                var gasLimit = r.ReadUInt64();
                var baseFee = r.ReadUInt256();
                var extra = r.ReadBytes().ToArray();
                var coinbase = r.ReadAddress();
                var prevRandao = r.ReadHash256();
                var alloc = new Dictionary<Address, GenesisAccount>();
                var accounts = r.ReadList();
                while (accounts.HasMore)
                {
                    var a = accounts.ReadList();
                    var address = a.ReadAddress();
                    var balance = a.ReadUInt256();
                    var nonce = a.ReadUInt64();
                    var code = a.ReadBytes().ToArray();
                    var storage = new Dictionary<UInt256, UInt256>();
                    var slots = a.ReadList();
                    while (slots.HasMore)
                    {
                        var pair = slots.ReadList();
                        storage[pair.ReadUInt256()] = pair.ReadUInt256();
                        pair.EnsureEnd();
                    }
                    a.EnsureEnd();
                    alloc[address] = new GenesisAccount { Balance = balance, Nonce = nonce, Code = code.Length == 0 ? null : code, Storage = storage.Count == 0 ? null : storage };
                }
                r.EnsureEnd();
                chains.Add(new ChainSpec(profile, new GenesisConfig
                {
                    ChainId = chainId, Timestamp = timestamp, GasLimit = gasLimit, BaseFeePerGas = baseFee, ExtraData = extra, Coinbase = coinbase,
                    PrevRandao = prevRandao, Alloc = alloc,
                }));
            }
            return chains;
        }
        catch (RlpException e)
        {
            throw new SettlementDataException($"the genesis section is not valid RLP: {e.Message}", e);
        }
    }
}
