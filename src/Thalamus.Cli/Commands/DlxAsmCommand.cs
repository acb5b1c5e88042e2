using System.CommandLine;
using Thalamus.Dlx;

namespace Thalamus.Cli.Commands;

/// <summary><c>thalamus dlx asm FILE.s [-o FILE.dlx] [--hex]</c>: assembles dlxsim source into a program image.</summary>
public static class DlxAsmCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "assembly source (dlxsim syntax)" };
        var output = new Option<string?>("--output", "-o") { Description = "image file to write (default: the source with the extension .dlx)" };
        var hex = new Option<bool>("--hex") { Description = "print the image as hex on stdout instead of writing a file" };
        var command = new Command("asm", "Assemble dlxsim source into a DLX program image; errors give file:line:column.");
        command.Arguments.Add(source);
        command.Options.Add(output);
        command.Options.Add(hex);
        command.SetAction(result => DlxCliSupport.Guard(() =>
        {
            string path = result.GetValue(source)!;
            var image = DlxAssembler.Assemble(File.ReadAllText(path), Path.GetFileName(path));
            var bytes = image.ToBytes();
            if (result.GetValue(hex))
            {
                Console.WriteLine(Convert.ToHexStringLower(bytes));
                return 0;
            }
            string target = result.GetValue(output) ?? Path.ChangeExtension(path, ".dlx");
            File.WriteAllBytes(target, bytes);
            Console.WriteLine($"{target}: {bytes.Length} bytes, code [0x{image.CodeStart:x8}, 0x{image.CodeEnd:x8}), entry 0x{image.Entry:x8}, " +
                $"{image.Sections.Count} section(s), {image.SegmentEntries.Count} independent segment(s)");
            Console.WriteLine($"sha256: 0x{Convert.ToHexStringLower(image.ComputeHash())}");
            return 0;
        }));
        return command;
    }
}
