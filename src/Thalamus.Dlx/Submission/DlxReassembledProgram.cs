namespace Thalamus.Dlx;

/// <summary>The result of <see cref="DlxChunker.Reassemble"/>: the program bytes, the client's metadata, the limit, the header digest.</summary>
public sealed record DlxReassembledProgram(byte[] Program, byte[] Metadata, int Limit, int ChunkCount, byte[] Digest);
