using FsCheck;
using FsCheck.Fluent;

namespace Thalamus.Dlx.Tests;

public class ChunkerTests
{
    private static readonly Gen<(byte[] Program, int Limit, byte[] Metadata)> Submissions =
        from program in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>())
        from metadata in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()).Select(m => m.Take(40).ToArray())
        from extra in Gen.Choose(0, 300)
        select (program, DlxChunker.MinimumLimit(metadata.Length) + extra, metadata);

    [Fact]
    public void Chunking_then_reassembly_is_the_identity()
    {
        Prop.ForAll(Arb.From(Submissions), s =>
        {
            var chunks = DlxChunker.Split(s.Program, s.Limit, s.Metadata);
            var back = DlxChunker.Reassemble(chunks);
            return back.Program.AsSpan().SequenceEqual(s.Program) && back.Metadata.AsSpan().SequenceEqual(s.Metadata)
                && back.Limit == s.Limit && back.ChunkCount == chunks.Count;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Every_chunk_but_the_last_is_exactly_the_limit_and_the_count_is_minimal()
    {
        Prop.ForAll(Arb.From(Submissions), s =>
        {
            var chunks = DlxChunker.Split(s.Program, s.Limit, s.Metadata);
            bool sizes = chunks.Take(chunks.Count - 1).All(c => c.Length == s.Limit) && chunks[^1].Length <= s.Limit && chunks[^1].Length > 0;
            // Minimal: one chunk fewer could not carry header, links and program.
            long capacity = (long)(chunks.Count - 1) * s.Limit - DlxChunker.HeaderSize(s.Metadata.Length) - (long)(chunks.Count - 2) * DlxChunker.HashSize;
            bool minimal = chunks.Count == 1 || s.Program.Length > capacity;
            return sizes && minimal;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Any_single_flipped_byte_in_any_chunk_is_rejected()
    {
        var gen =
            from s in Submissions
            let chunks = DlxChunker.Split(s.Program, s.Limit, s.Metadata)
            from index in Gen.Choose(0, chunks.Count - 1)
            from at in Gen.Choose(0, chunks[index].Length - 1)
            from flip in Gen.Choose(1, 255)
            select (chunks, index, at, (byte)flip);
        Prop.ForAll(Arb.From(gen), t =>
        {
            var damaged = t.chunks.Select(c => c.ToArray()).ToList();
            damaged[t.index][t.at] ^= t.Item4;
            try
            {
                DlxChunker.Reassemble(damaged);
                return false;
            }
            catch (DlxChunkException)
            {
                return true;
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Every_byte_of_a_real_program_is_protected()
    {
        // Exhaustively: every byte position of every chunk of the SHA-256 sample.
        var program = TestPrograms.Sample("sha256").ToBytes();
        var chunks = DlxChunker.Split(program, 256, "sha256.s"u8);
        Assert.True(chunks.Count > 4);
        for (int i = 0; i < chunks.Count; i++)
            for (int at = 0; at < chunks[i].Length; at++)
            {
                var damaged = chunks.Select(c => c.ToArray()).ToList();
                damaged[i][at] ^= 0x01;
                Assert.Throws<DlxChunkException>(() => DlxChunker.Reassemble(damaged));
            }
    }

    [Fact]
    public void Reordered_missing_and_extra_chunks_are_named()
    {
        var chunks = DlxChunker.Split(new byte[1000].Select((_, i) => (byte)i).ToArray(), 200).ToList();
        Assert.Equal(7, chunks.Count); // 116 bytes in the first, 168 in each middle, 44 in the last

        var swapped = chunks.ToList();
        (swapped[2], swapped[3]) = (swapped[3], swapped[2]);
        Assert.Contains("out of order", Assert.Throws<DlxChunkException>(() => DlxChunker.Reassemble(swapped)).Message);

        var headerMoved = chunks.ToList();
        (headerMoved[0], headerMoved[1]) = (headerMoved[1], headerMoved[0]);
        Assert.Contains("header is in chunk 2", Assert.Throws<DlxChunkException>(() => DlxChunker.Reassemble(headerMoved)).Message);

        Assert.Contains("missing chunks", Assert.Throws<DlxChunkException>(() => DlxChunker.Reassemble(chunks.Take(6).ToList())).Message);
        Assert.Contains("too many chunks", Assert.Throws<DlxChunkException>(() => DlxChunker.Reassemble([.. chunks, chunks[1]])).Message);

        var replaced = chunks.ToList();
        replaced[4] = DlxChunker.Split(new byte[1000], 200)[4];
        Assert.Contains("does not match the SHA-256 link in chunk 4", Assert.Throws<DlxChunkException>(() => DlxChunker.Reassemble(replaced)).Message);

        Assert.Contains("no chunks", Assert.Throws<DlxChunkException>(() => DlxChunker.Reassemble([])).Message);
    }

    [Fact]
    public void Small_programs_fit_in_one_chunk_and_tiny_limits_are_refused()
    {
        var single = DlxChunker.Split([1, 2, 3], 100);
        Assert.Single(single);
        Assert.Equal(DlxChunker.HeaderSize(0) + 3, single[0].Length);
        Assert.Equal([1, 2, 3], DlxChunker.Reassemble(single).Program);
        Assert.Throws<ArgumentException>(() => DlxChunker.Split(new byte[100], DlxChunker.MinimumLimit(0) - 1));
    }
}
