using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using Thalamus.Dlx;

namespace Thalamus.Cli.Commands;

/// <summary>
/// <c>thalamus dlx segment PROGRAM --limit BYTES [-o DIR] [--metadata TEXT]</c>: splits a program image into
/// chained chunks for submission to a chain with that transaction size limit (docs/dlx.md, "Chunk format").
/// </summary>
public static class DlxSegmentCommand
{
    public static Command Create()
    {
        var program = new Argument<string>("program") { Description = "a program image (.dlx) or assembly source" };
        var limit = new Option<int>("--limit") { Description = "the transaction size limit in bytes: every chunk but the last is exactly this size", Required = true };
        var output = new Option<string?>("--output", "-o") { Description = "folder for chunk-0001.bin, chunk-0002.bin, … (default: PROGRAM.chunks)" };
        var metadata = new Option<string?>("--metadata") { Description = "metadata text carried by the first chunk (default: the program's file name)" };
        var command = new Command("segment", "Split a program image into chained chunks (first: header, segment, SHA-256 of the next; middle: segment, SHA-256 of the next; last: segment).");
        command.Arguments.Add(program);
        command.Options.Add(limit);
        command.Options.Add(output);
        command.Options.Add(metadata);
        command.SetAction(result => DlxCliSupport.Guard(() =>
        {
            string path = result.GetValue(program)!;
            var image = DlxCliSupport.LoadProgram(path).ToBytes();
            var meta = Encoding.UTF8.GetBytes(result.GetValue(metadata) ?? Path.GetFileName(path));
            var chunks = DlxChunker.Split(image, result.GetValue(limit), meta);
            string folder = result.GetValue(output) ?? path + ".chunks";
            Directory.CreateDirectory(folder);
            foreach (var stale in Directory.GetFiles(folder, "chunk-*.bin")) File.Delete(stale);
            for (int i = 0; i < chunks.Count; i++)
            {
                string file = Path.Combine(folder, $"chunk-{i + 1:D4}.bin");
                File.WriteAllBytes(file, chunks[i]);
                Console.WriteLine($"{file}: {chunks[i].Length} bytes, sha256 0x{Convert.ToHexStringLower(SHA256.HashData(chunks[i]))}");
            }
            Console.WriteLine($"{image.Length} program bytes in {chunks.Count} chunk(s) of at most {result.GetValue(limit)} bytes; " +
                $"submission id (sha256 of chunk 1): 0x{Convert.ToHexStringLower(SHA256.HashData(chunks[0]))}");
            return 0;
        }));
        return command;
    }
}
