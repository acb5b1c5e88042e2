using System.Globalization;

namespace Thalamus.Dlx;

/// <summary>Splits one dlxsim source line into tokens; ';' starts a comment.</summary>
internal static class Lexer
{
    public static List<Token> Tokenize(string line)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < line.Length)
        {
            char c = line[i];
            int column = i + 1;
            if (c == ';') break;
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (char.IsAsciiLetter(c) || c is '_' or '.' or '$')
            {
                int start = i++;
                while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or '.' or '$')) i++;
                tokens.Add(new Token(TokenKind.Identifier, line[start..i], column));
                continue;
            }
            if (char.IsAsciiDigit(c))
            {
                tokens.Add(Number(line, ref i));
                continue;
            }
            switch (c)
            {
                case '"':
                    tokens.Add(StringLiteral(line, ref i));
                    continue;
                case '\'':
                    tokens.Add(CharLiteral(line, ref i));
                    continue;
                case ',': tokens.Add(new Token(TokenKind.Comma, ",", column)); i++; continue;
                case ':': tokens.Add(new Token(TokenKind.Colon, ":", column)); i++; continue;
                case '(': tokens.Add(new Token(TokenKind.LeftParen, "(", column)); i++; continue;
                case ')': tokens.Add(new Token(TokenKind.RightParen, ")", column)); i++; continue;
                case '<' or '>':
                    if (i + 1 < line.Length && line[i + 1] == c)
                    {
                        tokens.Add(new Token(TokenKind.Operator, new string(c, 2), column));
                        i += 2;
                        continue;
                    }
                    throw new SourceException(column, $"unexpected '{c}' (did you mean '{c}{c}'?)");
                case '+' or '-' or '*' or '/' or '%' or '&' or '|' or '^' or '~':
                    tokens.Add(new Token(TokenKind.Operator, c.ToString(), column));
                    i++;
                    continue;
                default:
                    throw new SourceException(column, $"unexpected character '{c}'");
            }
        }
        return tokens;
    }

    private static Token Number(string line, ref int i)
    {
        int start = i, column = i + 1;
        if (line[i] == '0' && i + 1 < line.Length && line[i + 1] is 'x' or 'X' or 'b' or 'B')
        {
            bool hex = line[i + 1] is 'x' or 'X';
            i += 2;
            int digits = i;
            while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '_')) i++;
            string body = line[digits..i].Replace("_", "");
            string text = line[start..i];
            if (body.Length == 0) throw new SourceException(column, $"'{text}' has no digits");
            try
            {
                ulong value = hex ? ulong.Parse(body, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) : Convert.ToUInt64(body, 2);
                if (value > long.MaxValue) throw new OverflowException();
                return new Token(TokenKind.Integer, text, column) { Integer = (long)value };
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                throw new SourceException(column, $"bad {(hex ? "hexadecimal" : "binary")} number '{text}'");
            }
        }
        while (i < line.Length && char.IsAsciiDigit(line[i])) i++;
        bool isFloat = false;
        if (i < line.Length && line[i] == '.' && i + 1 < line.Length && char.IsAsciiDigit(line[i + 1]))
        {
            isFloat = true;
            i++;
            while (i < line.Length && char.IsAsciiDigit(line[i])) i++;
        }
        if (i < line.Length && line[i] is 'e' or 'E')
        {
            int save = i++;
            if (i < line.Length && line[i] is '+' or '-') i++;
            if (i < line.Length && char.IsAsciiDigit(line[i]))
            {
                isFloat = true;
                while (i < line.Length && char.IsAsciiDigit(line[i])) i++;
            }
            else i = save;
        }
        string number = line[start..i];
        if (i < line.Length && (char.IsAsciiLetter(line[i]) || line[i] == '_'))
            throw new SourceException(column, $"bad number '{number}{line[i]}'");
        if (isFloat) return new Token(TokenKind.Float, number, column) { Float = double.Parse(number, CultureInfo.InvariantCulture) };
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out long v))
            throw new SourceException(column, $"number '{number}' is too large");
        return new Token(TokenKind.Integer, number, column) { Integer = v, Float = v };
    }

    private static Token StringLiteral(string line, ref int i)
    {
        int column = i + 1;
        i++;
        var bytes = new List<byte>();
        while (true)
        {
            if (i >= line.Length) throw new SourceException(column, "unterminated string (missing closing \")");
            char c = line[i];
            if (c == '"') { i++; break; }
            if (c == '\\') bytes.Add(Escape(line, ref i));
            else
            {
                if (c > 0x7F) throw new SourceException(i + 1, $"only ASCII characters are allowed in strings (got '{c}'); use \\xHH");
                bytes.Add((byte)c);
                i++;
            }
        }
        return new Token(TokenKind.String, "string", column) { Bytes = bytes.ToArray() };
    }

    private static Token CharLiteral(string line, ref int i)
    {
        int column = i + 1;
        i++;
        if (i >= line.Length) throw new SourceException(column, "unterminated character literal");
        byte value;
        if (line[i] == '\\') value = Escape(line, ref i);
        else
        {
            if (line[i] > 0x7F || line[i] == '\'') throw new SourceException(column, "bad character literal");
            value = (byte)line[i++];
        }
        if (i >= line.Length || line[i] != '\'') throw new SourceException(column, "unterminated character literal (missing closing ')");
        i++;
        return new Token(TokenKind.Integer, "char", column) { Integer = value };
    }

    private static byte Escape(string line, ref int i)
    {
        int column = i + 1;
        i++; // backslash
        if (i >= line.Length) throw new SourceException(column, "unfinished escape sequence");
        char c = line[i++];
        switch (c)
        {
            case 'n': return (byte)'\n';
            case 't': return (byte)'\t';
            case 'r': return (byte)'\r';
            case '0': return 0;
            case '\\': return (byte)'\\';
            case '"': return (byte)'"';
            case '\'': return (byte)'\'';
            case 'x':
                if (i + 2 <= line.Length && byte.TryParse(line.AsSpan(i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b))
                {
                    i += 2;
                    return b;
                }
                throw new SourceException(column, "\\x needs two hexadecimal digits");
            default:
                throw new SourceException(column, $"unknown escape sequence '\\{c}'");
        }
    }
}
