namespace Thalamus.Dlx;

/// <summary>One assembly: parse every line into items, lay them out (twice: the default data base follows the code), emit.</summary>
internal sealed partial class AssemblerSession(string fileName)
{
    private const int MaxErrors = 100;

    private readonly List<DlxAssemblyError> _errors = [];
    private readonly List<AssemblyItem> _items = [];
    private readonly Dictionary<string, LabelItem> _labelDefinitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _labels = new(StringComparer.Ordinal);
    private int _line;

    public DlxProgramImage Assemble(string source)
    {
        var lines = source.Split('\n');
        for (int i = 0; i < lines.Length && _errors.Count < MaxErrors; i++)
        {
            _line = i + 1;
            try
            {
                ParseLine(lines[i].TrimEnd('\r'));
            }
            catch (SourceException e)
            {
                Error(e.Column, e.Message);
            }
        }
        Fail();

        // Code does not depend on where data goes, so lay out once to find the end of the code, then for real.
        uint codeEnd = Layout(0);
        Fail();
        uint dataBase = (uint)Math.Min(uint.MaxValue & ~(ulong)DlxMemory.PageMask, ((ulong)codeEnd + DlxMemory.PageMask) & ~(ulong)DlxMemory.PageMask);
        Layout(dataBase);
        Fail();
        var image = Emit();
        Fail();
        return image!;
    }

    private void Error(int column, string message)
    {
        if (_errors.Count < MaxErrors) _errors.Add(new DlxAssemblyError(fileName, _line, Math.Max(1, column), message));
    }

    private void Fail()
    {
        if (_errors.Count > 0) throw new DlxAssemblyException(_errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToArray());
    }

    private long? Resolve(string name) => _labels.TryGetValue(name, out long v) ? v : null;
}
