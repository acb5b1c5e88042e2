using System.CommandLine;
using System.Text;
using Thalamus.Dlx;

namespace Thalamus.Cli.Commands;

/// <summary><c>thalamus dlx reassemble DIR|CHUNK... [-o FILE]</c>: verifies every link of a chained submission and rebuilds the image.</summary>
public static class DlxReassembleCommand
{
    public static Command Create()
    {
        var chunks = new Argument<string[]>("chunks") { Description = "a folder of chunk-*.bin files, or the chunk files in order", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--output", "-o") { Description = "where to write the reassembled program image" };
        var command = new Command("reassemble", "Verify a chained submission (every link, the digest) and rebuild the program image; a tampered, reordered or missing chunk is an error.");
        command.Arguments.Add(chunks);
        command.Options.Add(output);
        command.SetAction(result => DlxCliSupport.Guard(() =>
        {
            var paths = result.GetValue(chunks)!;
            var files = paths.Length == 1 && Directory.Exists(paths[0])
                ? Directory.GetFiles(paths[0], "chunk-*.bin").Order(StringComparer.Ordinal).ToArray()
                : paths;
            var program = DlxChunker.Reassemble(files.Select(File.ReadAllBytes).ToArray());
            var image = DlxProgramImage.Parse(program.Program);
            Console.WriteLine($"verified {program.ChunkCount} chunk(s) at limit {program.Limit}: {program.Program.Length} program bytes, " +
                $"metadata \"{Encoding.UTF8.GetString(program.Metadata)}\", entry 0x{image.Entry:x8}");
            if (result.GetValue(output) is { } target)
            {
                File.WriteAllBytes(target, program.Program);
                Console.WriteLine($"wrote {target}");
            }
            return 0;
        }));
        return command;
    }
}
