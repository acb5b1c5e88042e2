using System.Text;

namespace Thalamus.Dlx.Tests;

/// <summary>Helpers: assemble and run snippets, locate and run the sample corpus.</summary>
internal static class TestPrograms
{
    public static string SamplesDirectory => Path.Combine(AppContext.BaseDirectory, "samples", "dlx");

    public static string SamplePath(string name) => Path.Combine(SamplesDirectory, name + ".s");

    public static DlxProgramImage Sample(string name) => DlxAssembler.Assemble(File.ReadAllText(SamplePath(name)), name + ".s");

    public static IEnumerable<string> SampleNames =>
        Directory.GetFiles(SamplesDirectory, "*.s").Select(Path.GetFileNameWithoutExtension).Order().Cast<string>();

    /// <summary>The inputs of a sample: one argument per line of its .args file (none without one).</summary>
    public static byte[][] SampleInputs(string name)
    {
        string path = Path.Combine(SamplesDirectory, name + ".args");
        return File.Exists(path) ? File.ReadAllLines(path).Select(Encoding.UTF8.GetBytes).ToArray() : [];
    }

    public static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>Assembles a code snippet placed at main (the snippet should end with trap 0 unless it faults).</summary>
    public static DlxProgramImage Snippet(string body, string data = "") =>
        DlxAssembler.Assemble($"        .data\n{data}\n        .text\nmain:\n{body}\n");

    /// <summary>Runs a snippet after setting registers; returns the machine.</summary>
    public static DlxMachine Run(string body, Action<DlxMachine>? setup = null, string data = "", DlxMachineOptions? options = null, params byte[][] inputs)
    {
        var machine = DlxMachine.Load(Snippet(body, data), inputs, options);
        setup?.Invoke(machine);
        machine.Run();
        return machine;
    }

    public static string OutputText(DlxMachine machine) => Encoding.UTF8.GetString(machine.Output);

    /// <summary>Runs to the end with no budget, for comparisons.</summary>
    public static DlxMachine RunToEnd(DlxProgramImage image, byte[][] inputs, DlxMachineOptions? options = null)
    {
        var machine = DlxMachine.Load(image, inputs, options);
        machine.Run();
        return machine;
    }
}
