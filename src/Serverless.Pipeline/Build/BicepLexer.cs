using System.Globalization;
using System.Text;

namespace Serverless.Pipeline.Build;

/// <summary>What a token of a Bicep file is, as far as the template path check needs to know.</summary>
public enum BicepTokenKind
{
    Name,
    /// <summary>A string literal without interpolation; its text is the decoded value.</summary>
    PlainString,
    /// <summary>A string with <c>${…}</c> holes; the tokens of its holes follow it.</summary>
    InterpolatedString,
    Symbol,
}

/// <summary>One token with where it starts (1-based line and column, as the Bicep CLI reports them).</summary>
public sealed record BicepToken(BicepTokenKind Kind, string Text, int Line, int Column);

/// <summary>The Bicep source cannot be split into tokens (an unterminated string or comment, an unknown escape).</summary>
public sealed class BicepSyntaxException(string message, int line, int column) : Exception(message)
{
    public int Line { get; } = line;
    public int Column { get; } = column;
}

/// <summary>
/// Splits Bicep source into names, strings and symbols, skipping comments, with Bicep's string rules: <c>'…'</c> with
/// escapes (<c>\\ \' \n \r \t \$ \u{…}</c>) and <c>${…}</c> holes, and multi-line <c>'''…'''</c> strings, which
/// interpolate only when prefixed with <c>$</c> (<c>$'''…${x}…'''</c>, <c>$$'''…$${x}…'''</c>).
/// The tokens inside interpolation holes are part of the stream, so a call inside a hole is seen too.
/// </summary>
public sealed class BicepLexer
{
    /// <summary>How deep interpolation holes may nest: the lexer runs in the host's process, whose stack a hostile file must not exhaust.</summary>
    private const int MaxHoleDepth = 32;

    private readonly string _text;
    private readonly List<BicepToken> _tokens = [];
    private int _holes;
    private int _at;
    private int _line = 1;
    private int _column = 1;

    private BicepLexer(string text) => _text = text;

    public static IReadOnlyList<BicepToken> Read(string text)
    {
        var lexer = new BicepLexer(text);
        lexer.ReadTokens(inHole: false);
        return lexer._tokens;
    }

    private void ReadTokens(bool inHole)
    {
        if (inHole && ++_holes > MaxHoleDepth) throw Error($"interpolation holes ${{…}} nest more than {MaxHoleDepth} deep", _line, _column);
        var braces = 0;
        while (_at < _text.Length)
        {
            var c = _text[_at];
            if (char.IsWhiteSpace(c)) Advance(1);
            else if (At("//")) while (_at < _text.Length && _text[_at] != '\n') Advance(1);
            else if (At("/*")) SkipBlockComment();
            else if (At("'''")) ReadMultiLineString(0);
            else if (c == '\'') ReadString();
            else if (c == '$' && DollarsBeforeMultiLine() is var dollars and > 0) ReadMultiLineString(dollars);
            else if (char.IsAsciiLetter(c) || c == '_') ReadName();
            else
            {
                if (inHole && c == '{') braces++;
                if (inHole && c == '}' && braces-- == 0)
                {
                    Advance(1);
                    _holes--;
                    return;
                }
                _tokens.Add(new BicepToken(BicepTokenKind.Symbol, c.ToString(), _line, _column));
                Advance(1);
            }
        }
        if (inHole) throw Error("an interpolation hole ${…} is not closed", _line, _column);
    }

    private void ReadName()
    {
        var (start, line, column) = (_at, _line, _column);
        while (_at < _text.Length && (char.IsAsciiLetterOrDigit(_text[_at]) || _text[_at] == '_')) Advance(1);
        _tokens.Add(new BicepToken(BicepTokenKind.Name, _text[start.._at], line, column));
    }

    private void ReadString()
    {
        var (line, column) = (_line, _column);
        var slot = Reserve();
        var value = new StringBuilder();
        var interpolated = false;
        Advance(1);
        while (true)
        {
            if (_at >= _text.Length || _text[_at] is '\n' or '\r') throw Error("a string is not closed", line, column);
            var c = _text[_at];
            if (c == '\'')
            {
                Advance(1);
                break;
            }
            if (c == '\\') value.Append(ReadEscape());
            else if (At("${"))
            {
                interpolated = true;
                Advance(2);
                ReadTokens(inHole: true);
            }
            else
            {
                value.Append(c);
                Advance(1);
            }
        }
        _tokens[slot] = new BicepToken(interpolated ? BicepTokenKind.InterpolatedString : BicepTokenKind.PlainString, value.ToString(), line, column);
    }

    private string ReadEscape()
    {
        var (line, column) = (_line, _column);
        Advance(1);
        if (_at >= _text.Length) throw Error("a string is not closed", line, column);
        var c = _text[_at];
        Advance(1);
        switch (c)
        {
            case '\\': return "\\";
            case '\'': return "'";
            case 'n': return "\n";
            case 'r': return "\r";
            case 't': return "\t";
            case '$': return "$";
            case 'u' when At("{"):
                var end = _text.IndexOf('}', _at);
                if (end < 0 || !int.TryParse(_text.AsSpan(_at + 1, end - _at - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                    || code is < 0 or > 0x10FFFF)
                    throw Error("a \\u{…} escape is not a valid code point", line, column);
                Advance(end + 1 - _at);
                return char.ConvertFromUtf32(code);
            default: throw Error($"the escape \\{c} is not one Bicep knows", line, column);
        }
    }

    /// <summary>At <c>$…$'''</c>: how many dollar signs open the multi-line string, else 0.</summary>
    private int DollarsBeforeMultiLine()
    {
        var count = 0;
        while (_at + count < _text.Length && _text[_at + count] == '$') count++;
        return string.CompareOrdinal(_text, _at + count, "'''", 0, 3) == 0 ? count : 0;
    }

    private void ReadMultiLineString(int dollars)
    {
        var (line, column) = (_line, _column);
        var slot = Reserve();
        Advance(dollars + 3);
        var hole = new string('$', dollars) + "{";
        var value = new StringBuilder();
        var interpolated = false;
        while (!At("'''"))
        {
            if (_at >= _text.Length) throw Error("a multi-line string is not closed", line, column);
            if (dollars > 0 && At(hole))
            {
                interpolated = true;
                Advance(hole.Length);
                ReadTokens(inHole: true);
                continue;
            }
            value.Append(_text[_at]);
            Advance(1);
        }
        Advance(3);
        // Bicep drops the line break that directly follows the opening quotes.
        var text = value.ToString();
        text = text.StartsWith("\r\n", StringComparison.Ordinal) ? text[2..] : text.StartsWith('\n') ? text[1..] : text;
        _tokens[slot] = new BicepToken(interpolated ? BicepTokenKind.InterpolatedString : BicepTokenKind.PlainString, text, line, column);
    }

    private void SkipBlockComment()
    {
        var (line, column) = (_line, _column);
        var end = _text.IndexOf("*/", _at + 2, StringComparison.Ordinal);
        if (end < 0) throw Error("a /* comment */ is not closed", line, column);
        Advance(end + 2 - _at);
    }

    /// <summary>Keeps the string's place before the tokens of its holes.</summary>
    private int Reserve()
    {
        _tokens.Add(null!);
        return _tokens.Count - 1;
    }

    private bool At(string text) => string.CompareOrdinal(_text, _at, text, 0, text.Length) == 0;

    private void Advance(int count)
    {
        for (var i = 0; i < count && _at < _text.Length; i++, _at++)
        {
            if (_text[_at] == '\n') (_line, _column) = (_line + 1, 1);
            else _column++;
        }
    }

    private static BicepSyntaxException Error(string message, int line, int column) => new(message, line, column);
}
