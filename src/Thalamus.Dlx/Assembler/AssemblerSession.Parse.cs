using System.Globalization;

namespace Thalamus.Dlx;

internal sealed partial class AssemblerSession
{
    private static readonly string[] Directives =
        [".text", ".data", ".align", ".word", ".half", ".byte", ".ascii", ".asciiz", ".space", ".float", ".double", ".global", ".segment"];

    private enum RegisterClass { Gpr, Single, Double, Special }

    private void ParseLine(string text)
    {
        var tokens = Lexer.Tokenize(text);
        int at = 0;
        while (at + 1 < tokens.Count && tokens[at].Kind == TokenKind.Identifier && tokens[at + 1].Kind == TokenKind.Colon)
        {
            DefineLabel(tokens[at]);
            at += 2;
        }
        if (at == tokens.Count) return;
        var head = tokens[at];
        if (head.Kind != TokenKind.Identifier)
            throw new SourceException(head.Column, $"expected a label, a directive or an instruction, got '{head.Text}'");
        var operands = SplitOperands(tokens, at + 1);
        if (head.Text.StartsWith('.')) ParseDirective(head, operands);
        else ParseInstruction(head, operands);
    }

    private void DefineLabel(Token name)
    {
        if (name.Text.StartsWith('.') && Directives.Contains(name.Text, StringComparer.OrdinalIgnoreCase))
            throw new SourceException(name.Column, $"'{name.Text}' is a directive and cannot be a label");
        if (TryRegister(name.Text, out _, out _))
            throw new SourceException(name.Column, $"'{name.Text}' is a register name and cannot be a label");
        if (_labelDefinitions.TryGetValue(name.Text, out var previous))
            throw new SourceException(name.Column, $"label '{name.Text}' is already defined on line {previous.Line}");
        var item = new LabelItem(_line, name.Column, name.Text);
        _labelDefinitions[name.Text] = item;
        _items.Add(item);
    }

    /// <summary>Splits the tokens after the head at top-level commas.</summary>
    private static List<List<Token>> SplitOperands(List<Token> tokens, int from)
    {
        var result = new List<List<Token>>();
        if (from == tokens.Count) return result;
        var current = new List<Token>();
        int depth = 0;
        for (int i = from; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind == TokenKind.LeftParen) depth++;
            else if (t.Kind == TokenKind.RightParen && --depth < 0) throw new SourceException(t.Column, "unbalanced ')'");
            if (t.Kind == TokenKind.Comma && depth == 0)
            {
                if (current.Count == 0) throw new SourceException(t.Column, "missing operand before ','");
                result.Add(current);
                current = [];
                continue;
            }
            if (t.Kind == TokenKind.Colon) throw new SourceException(t.Column, "unexpected ':' (labels go at the start of a line)");
            current.Add(t);
        }
        if (depth != 0) throw new SourceException(tokens[^1].Column, "missing ')'");
        if (current.Count == 0) throw new SourceException(tokens[^1].Column + 1, "missing operand after ','");
        result.Add(current);
        return result;
    }

    // ---------------------------------------------------------------- directives

    private void ParseDirective(Token head, List<List<Token>> operands)
    {
        string name = head.Text.ToLowerInvariant();
        switch (name)
        {
            case ".text" or ".data":
            {
                Expect(head, operands, 0, 1, "[address]");
                var address = operands.Count == 1 ? Constant(operands[0], head, "the section address") : null;
                _items.Add(new SectionItem(_line, head.Column, name == ".text" ? DlxSectionKind.Text : DlxSectionKind.Data, address));
                break;
            }
            case ".align":
            {
                Expect(head, operands, 1, 1, "n (align to 2^n bytes)");
                var expr = Constant(operands[0], head, ".align");
                long n = expr.Evaluate(_ => null);
                if (n is < 0 or > DlxMemory.PageShift) throw new SourceException(expr.Column, $".align {n}: the power must be between 0 and {DlxMemory.PageShift}");
                _items.Add(new AlignItem(_line, head.Column, (int)n));
                break;
            }
            case ".space":
            {
                Expect(head, operands, 1, 1, "size");
                var expr = Constant(operands[0], head, ".space");
                long n = expr.Evaluate(_ => null);
                if (n is < 0 or > DlxMachineOptions.MaxMemoryLimit) throw new SourceException(expr.Column, $".space {n}: the size must be between 0 and {DlxMachineOptions.MaxMemoryLimit}");
                _items.Add(new SpaceItem(_line, head.Column, n));
                break;
            }
            case ".word" or ".half" or ".byte":
            {
                Expect(head, operands, 1, int.MaxValue, "value, …");
                int size = name switch { ".word" => 4, ".half" => 2, _ => 1 };
                _items.Add(new ValuesItem(_line, head.Column, name, size, operands.Select(o => Expr.Parse(o, head.Column)).ToArray(), []));
                break;
            }
            case ".float" or ".double":
            {
                Expect(head, operands, 1, int.MaxValue, "number, …");
                var values = operands.Select(o => FloatLiteral(o, head)).ToArray();
                if (name == ".float")
                    foreach (var (v, o) in values.Zip(operands))
                        if (double.IsFinite(v) && float.IsInfinity((float)v))
                            throw new SourceException(o[0].Column, $"{v.ToString(CultureInfo.InvariantCulture)} is too large for a single-precision float");
                _items.Add(new ValuesItem(_line, head.Column, name, name == ".float" ? 4 : 8, [], values));
                break;
            }
            case ".ascii" or ".asciiz":
            {
                Expect(head, operands, 1, int.MaxValue, "\"text\", …");
                var bytes = new List<byte>();
                foreach (var o in operands)
                {
                    if (o.Count != 1 || o[0].Kind != TokenKind.String) throw new SourceException(o[0].Column, $"{name} takes quoted strings");
                    bytes.AddRange(o[0].Bytes);
                    if (name == ".asciiz") bytes.Add(0);
                }
                _items.Add(new BytesItem(_line, head.Column, bytes.ToArray()));
                break;
            }
            case ".global":
                Expect(head, operands, 1, int.MaxValue, "label, …");
                foreach (var o in operands)
                {
                    if (o.Count != 1 || o[0].Kind != TokenKind.Identifier) throw new SourceException(o[0].Column, ".global takes label names");
                    _items.Add(new GlobalItem(_line, o[0].Column, o[0].Text));
                }
                break;
            case ".segment":
                Expect(head, operands, 1, int.MaxValue, "entry label, …");
                foreach (var o in operands) _items.Add(new SegmentItem(_line, o[0].Column, Expr.Parse(o, head.Column)));
                break;
            default:
                throw new SourceException(head.Column, $"unknown directive '{head.Text}'{Suggest(head.Text, Directives)}");
        }
    }

    private static void Expect(Token head, List<List<Token>> operands, int min, int max, string usage)
    {
        if (operands.Count >= min && operands.Count <= max) return;
        int column = operands.Count > max ? operands[max][0].Column : head.Column;
        string count = min == max ? $"{min}" : max == int.MaxValue ? $"at least {min}" : $"{min} to {max}";
        throw new SourceException(column, $"{head.Text.ToLowerInvariant()} takes {count} operand{(max == 1 && min == 1 ? "" : "s")} ({usage}), got {operands.Count}");
    }

    private static Expr Constant(List<Token> tokens, Token head, string what)
    {
        var expr = Expr.Parse(tokens, head.Column);
        if (!expr.IsConstant) throw new SourceException(expr.Column, $"{what} must be a constant (labels are not known yet)");
        return expr;
    }

    private static double FloatLiteral(List<Token> tokens, Token head)
    {
        int at = 0;
        double sign = 1;
        if (tokens.Count > 1 && tokens[0].Kind == TokenKind.Operator && tokens[0].Text is "-" or "+")
        {
            sign = tokens[0].Text == "-" ? -1 : 1;
            at = 1;
        }
        if (tokens.Count != at + 1) throw new SourceException(tokens[0].Column, $"{head.Text.ToLowerInvariant()} takes plain numbers such as 1.5, -2, 6.02e23, inf, nan");
        var t = tokens[at];
        if (t.Kind is TokenKind.Float or TokenKind.Integer) return sign * (t.Kind == TokenKind.Integer ? t.Integer : t.Float);
        if (t.Kind == TokenKind.Identifier && t.Text.Equals("inf", StringComparison.OrdinalIgnoreCase)) return sign * double.PositiveInfinity;
        if (t.Kind == TokenKind.Identifier && t.Text.Equals("nan", StringComparison.OrdinalIgnoreCase)) return BitConverter.UInt64BitsToDouble(0x7FF8000000000000);
        throw new SourceException(t.Column, $"'{t.Text}' is not a number");
    }

    // ---------------------------------------------------------------- instructions

    private void ParseInstruction(Token head, List<List<Token>> operands)
    {
        if (!DlxInstructionSet.TryGetByName(head.Text, out var info))
            throw new SourceException(head.Column, $"unknown instruction '{head.Text}'{Suggest(head.Text, DlxInstructionSet.All.Select(i => i.Name))}");
        var item = new InstructionItem(_line, head.Column, info);
        var shape = info.Shape;
        string usage = Usage(shape);
        int expected = usage.Length == 0 ? 0 : usage.Count(c => c == ',') + 1;
        if (operands.Count != expected)
        {
            int column = operands.Count > expected ? operands[expected][0].Column : head.Column;
            throw new SourceException(column, $"{info.Name} takes {expected} operand{(expected == 1 ? "" : "s")}{(expected > 0 ? $" ({usage})" : "")}, got {operands.Count}");
        }
        var o = operands;
        switch (shape)
        {
            case DlxOperandShape.None:
                break;
            case DlxOperandShape.GprGprGpr:
                (item.Rd, item.Rs1, item.Rs2) = (Reg(o[0], RegisterClass.Gpr), Reg(o[1], RegisterClass.Gpr), Reg(o[2], RegisterClass.Gpr));
                break;
            case DlxOperandShape.GprGprSigned or DlxOperandShape.GprGprUnsigned or DlxOperandShape.GprGprShift:
                (item.Rd, item.Rs1) = (Reg(o[0], RegisterClass.Gpr), Reg(o[1], RegisterClass.Gpr));
                item.Immediate = Expr.Parse(o[2], head.Column);
                break;
            case DlxOperandShape.GprUnsigned:
                item.Rd = Reg(o[0], RegisterClass.Gpr);
                item.Immediate = Expr.Parse(o[1], head.Column);
                break;
            case DlxOperandShape.LoadGpr or DlxOperandShape.LoadSingle or DlxOperandShape.LoadDouble:
                item.Rd = Reg(o[0], shape == DlxOperandShape.LoadGpr ? RegisterClass.Gpr : shape == DlxOperandShape.LoadSingle ? RegisterClass.Single : RegisterClass.Double);
                (item.Immediate, item.Rs1) = Memory(o[1], head);
                break;
            case DlxOperandShape.StoreGpr or DlxOperandShape.StoreSingle or DlxOperandShape.StoreDouble:
                (item.Immediate, item.Rs1) = Memory(o[0], head);
                item.Rd = Reg(o[1], shape == DlxOperandShape.StoreGpr ? RegisterClass.Gpr : shape == DlxOperandShape.StoreSingle ? RegisterClass.Single : RegisterClass.Double);
                break;
            case DlxOperandShape.BranchGpr:
                item.Rs1 = Reg(o[0], RegisterClass.Gpr);
                item.Immediate = Expr.Parse(o[1], head.Column);
                break;
            case DlxOperandShape.BranchFp or DlxOperandShape.Jump or DlxOperandShape.Trap:
                item.Immediate = Expr.Parse(o[0], head.Column);
                break;
            case DlxOperandShape.JumpGpr:
                item.Rs1 = Reg(o[0], RegisterClass.Gpr);
                break;
            case DlxOperandShape.SingleSingleSingle:
                (item.Rd, item.Rs1, item.Rs2) = (Reg(o[0], RegisterClass.Single), Reg(o[1], RegisterClass.Single), Reg(o[2], RegisterClass.Single));
                break;
            case DlxOperandShape.DoubleDoubleDouble:
                (item.Rd, item.Rs1, item.Rs2) = (Reg(o[0], RegisterClass.Double), Reg(o[1], RegisterClass.Double), Reg(o[2], RegisterClass.Double));
                break;
            case DlxOperandShape.SingleSingle:
                (item.Rd, item.Rs1) = (Reg(o[0], RegisterClass.Single), Reg(o[1], RegisterClass.Single));
                break;
            case DlxOperandShape.DoubleDouble:
                (item.Rd, item.Rs1) = (Reg(o[0], RegisterClass.Double), Reg(o[1], RegisterClass.Double));
                break;
            case DlxOperandShape.DoubleSingle:
                (item.Rd, item.Rs1) = (Reg(o[0], RegisterClass.Double), Reg(o[1], RegisterClass.Single));
                break;
            case DlxOperandShape.SingleDouble:
                (item.Rd, item.Rs1) = (Reg(o[0], RegisterClass.Single), Reg(o[1], RegisterClass.Double));
                break;
            case DlxOperandShape.CompareSingle:
                (item.Rs1, item.Rs2) = (Reg(o[0], RegisterClass.Single), Reg(o[1], RegisterClass.Single));
                break;
            case DlxOperandShape.CompareDouble:
                (item.Rs1, item.Rs2) = (Reg(o[0], RegisterClass.Double), Reg(o[1], RegisterClass.Double));
                break;
            case DlxOperandShape.GprSingle:
                (item.Rd, item.Rs1) = (Reg(o[0], RegisterClass.Gpr), Reg(o[1], RegisterClass.Single));
                break;
            case DlxOperandShape.SingleGpr:
                (item.Rd, item.Rs1) = (Reg(o[0], RegisterClass.Single), Reg(o[1], RegisterClass.Gpr));
                break;
            case DlxOperandShape.SpecialGpr:
                (item.Rd, item.Rs1) = (Reg(o[0], RegisterClass.Special), Reg(o[1], RegisterClass.Gpr));
                break;
            case DlxOperandShape.GprSpecial:
                (item.Rd, item.Rs1) = (Reg(o[0], RegisterClass.Gpr), Reg(o[1], RegisterClass.Special));
                break;
            default:
                throw new SourceException(head.Column, $"internal: no parser for {shape}");
        }
        _items.Add(item);
    }

    /// <summary>The operand list of a shape, for messages ("" for none).</summary>
    internal static string Usage(DlxOperandShape shape) => shape switch
    {
        DlxOperandShape.None => "",
        DlxOperandShape.GprGprGpr => "rd, rs1, rs2",
        DlxOperandShape.GprGprSigned => "rd, rs1, signed 16-bit immediate",
        DlxOperandShape.GprGprUnsigned => "rd, rs1, unsigned 16-bit immediate",
        DlxOperandShape.GprGprShift => "rd, rs1, shift 0..31",
        DlxOperandShape.GprUnsigned => "rd, unsigned 16-bit immediate",
        DlxOperandShape.LoadGpr => "rd, offset(rs1)",
        DlxOperandShape.LoadSingle => "fd, offset(rs1)",
        DlxOperandShape.LoadDouble => "even fd, offset(rs1)",
        DlxOperandShape.StoreGpr => "offset(rs1), rd",
        DlxOperandShape.StoreSingle => "offset(rs1), fd",
        DlxOperandShape.StoreDouble => "offset(rs1), even fd",
        DlxOperandShape.BranchGpr => "rs1, target",
        DlxOperandShape.BranchFp or DlxOperandShape.Jump => "target",
        DlxOperandShape.JumpGpr => "rs1",
        DlxOperandShape.Trap => "trap number",
        DlxOperandShape.SingleSingleSingle => "fd, fs1, fs2",
        DlxOperandShape.DoubleDoubleDouble => "even fd, even fs1, even fs2",
        DlxOperandShape.SingleSingle => "fd, fs",
        DlxOperandShape.DoubleDouble => "even fd, even fs",
        DlxOperandShape.DoubleSingle => "even fd, fs",
        DlxOperandShape.SingleDouble => "fd, even fs",
        DlxOperandShape.CompareSingle => "fs1, fs2",
        DlxOperandShape.CompareDouble => "even fs1, even fs2",
        DlxOperandShape.GprSingle => "rd, fs",
        DlxOperandShape.SingleGpr => "fd, rs",
        DlxOperandShape.SpecialGpr => "iar|fpsr, rs",
        DlxOperandShape.GprSpecial => "rd, iar|fpsr",
        _ => "?",
    };

    private static int Reg(List<Token> tokens, RegisterClass wanted)
    {
        string what = wanted switch
        {
            RegisterClass.Gpr => "an integer register (r0..r31)",
            RegisterClass.Single => "a float register (f0..f31)",
            RegisterClass.Double => "an even float register (f0, f2, …, f30)",
            _ => "a special register (iar or fpsr)",
        };
        var t = tokens[0];
        if (tokens.Count != 1 || t.Kind != TokenKind.Identifier || !TryRegister(t.Text, out var cls, out int number))
            throw new SourceException(t.Column, $"expected {what}, got '{string.Concat(tokens.Select(x => x.Kind == TokenKind.String ? "\"…\"" : x.Text))}'");
        if (cls == RegisterClass.Single && wanted == RegisterClass.Double)
        {
            if ((number & 1) != 0) throw new SourceException(t.Column, $"'{t.Text}' cannot hold a double: use an even register (f0, f2, …, f30)");
            return number;
        }
        if (cls != wanted) throw new SourceException(t.Column, $"expected {what}, got '{t.Text}'");
        return number;
    }

    private static bool TryRegister(string text, out RegisterClass cls, out int number)
    {
        cls = RegisterClass.Gpr;
        number = 0;
        if (text.Equals("iar", StringComparison.OrdinalIgnoreCase)) { cls = RegisterClass.Special; number = (int)DlxSpecialRegister.Iar; return true; }
        if (text.Equals("fpsr", StringComparison.OrdinalIgnoreCase)) { cls = RegisterClass.Special; number = (int)DlxSpecialRegister.Fpsr; return true; }
        if (text.Length is < 2 or > 3 || text[0] is not ('r' or 'R' or 'f' or 'F')) return false;
        if (!int.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out number) || number > 31) return false;
        if (text.Length == 3 && text[1] == '0') return false; // r01 is not a register name
        cls = text[0] is 'r' or 'R' ? RegisterClass.Gpr : RegisterClass.Single;
        return true;
    }

    /// <summary>Parses "offset(rN)", "(rN)" or a bare address expression (base r0).</summary>
    private static (Expr Offset, int Base) Memory(List<Token> tokens, Token head)
    {
        int n = tokens.Count;
        if (n >= 3 && tokens[n - 1].Kind == TokenKind.RightParen && tokens[n - 3].Kind == TokenKind.LeftParen
            && tokens[n - 2].Kind == TokenKind.Identifier && TryRegister(tokens[n - 2].Text, out var cls, out int number))
        {
            if (cls != RegisterClass.Gpr) throw new SourceException(tokens[n - 2].Column, $"the base of a memory operand must be an integer register, got '{tokens[n - 2].Text}'");
            var offset = n == 3 ? new NumberExpr(tokens[0].Column, 0) : Expr.Parse(tokens.GetRange(0, n - 3), head.Column);
            return (offset, number);
        }
        if (tokens.Count == 1 && tokens[0].Kind == TokenKind.Identifier && TryRegister(tokens[0].Text, out _, out _))
            throw new SourceException(tokens[0].Column, $"expected a memory operand such as 0({tokens[0].Text}), got a bare register");
        return (Expr.Parse(tokens, head.Column), 0);
    }

    private static string Suggest(string text, IEnumerable<string> candidates)
    {
        string lower = text.ToLowerInvariant();
        var best = candidates.Select(c => (c, d: Distance(lower, c))).Where(x => x.d <= 2).OrderBy(x => x.d).ThenBy(x => x.c).FirstOrDefault();
        return best.c is null ? "" : $" (did you mean '{best.c}'?)";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
