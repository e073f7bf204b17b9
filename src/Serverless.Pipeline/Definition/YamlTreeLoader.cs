using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Serverless.Pipeline.Definition;

/// <summary>Turns YAML text into a <see cref="YamlNode"/> tree with line and column marks, reporting syntax errors as problems.</summary>
internal static class YamlTreeLoader
{
    /// <summary>Deeper nesting than any pipeline definition needs; the limit keeps a hostile file from exhausting the stack.</summary>
    public const int MaxDepth = 32;

    /// <summary>The largest file read, in characters.</summary>
    public const int MaxLength = 256 * 1024;

    public static YamlNode? Load(string text, ProblemSink problems)
    {
        if (text.Length > MaxLength)
        {
            problems.Add(1, 1, "", $"The file is {text.Length} characters long; a delivery.yaml may have at most {MaxLength}.");
            return null;
        }
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        ParsingEvent? last = null;
        T Next<T>() where T : ParsingEvent
        {
            var e = parser.Consume<T>();
            last = e;
            return e;
        }
        try
        {
            Next<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                problems.Add(1, 1, "", "The file is empty: it must define at least 'template', 'stages', 'approval' and 'production'.");
                return null;
            }
            Next<DocumentStart>();
            var root = ReadNode(parser, anchors, problems, e => last = e, depth: 1);
            Next<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
            {
                problems.Add(Line(second.Start), Column(second.Start), "", "The file holds more than one YAML document; delivery.yaml must hold exactly one.");
            }
            return root;
        }
        catch (YamlException ex)
        {
            var (line, column) = (Line(ex.Start), Column(ex.Start));
            if (ex.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FirstTabIndentedLine(text) is { } tabLine)
            {
                (line, column) = (tabLine, 1);
            }
            problems.Add(line, column, "", $"YAML syntax error: {ex.Message}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // The scanner of YamlDotNet 18 throws this, without a mark, on some unterminated flow collections.
            var mark = last?.End ?? Mark.Empty;
            problems.Add(Line(mark), Column(mark), "", "YAML syntax error: the text after this point cannot be read (an unclosed '[', '{' or quote?).");
            return null;
        }
    }

    private static YamlNode ReadNode(IParser parser, Dictionary<string, YamlNode> anchors, ProblemSink problems, Action<ParsingEvent> seen, int depth)
    {
        var current = parser.Current ?? throw new InvalidOperationException("The YAML parser ended unexpectedly.");
        if (depth > MaxDepth) throw new YamlException(current.Start, current.End, $"Lists and fields are nested more than {MaxDepth} levels deep.");
        parser.MoveNext();
        seen(current);
        YamlNode node;
        switch (current)
        {
            case AnchorAlias alias:
                if (anchors.TryGetValue(alias.Value.Value, out var target)) return target;
                problems.Add(Line(alias.Start), Column(alias.Start), "", $"YAML alias '*{alias.Value.Value}' refers to no anchor defined before it.");
                return new YamlScalar("", plain: true, Line(alias.Start), Column(alias.Start));
            case Scalar scalar:
                node = new YamlScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, Line(scalar.Start), Column(scalar.Start));
                break;
            case SequenceStart sequence:
                var items = new List<YamlNode>();
                while (parser.Current is not SequenceEnd)
                {
                    items.Add(ReadNode(parser, anchors, problems, seen, depth + 1));
                }
                seen(parser.Current);
                parser.MoveNext();
                node = new YamlSequence(items, Line(sequence.Start), Column(sequence.Start));
                break;
            case MappingStart mapping:
                var entries = new List<KeyValuePair<YamlNode, YamlNode>>();
                while (parser.Current is not MappingEnd)
                {
                    var key = ReadNode(parser, anchors, problems, seen, depth + 1);
                    var value = ReadNode(parser, anchors, problems, seen, depth + 1);
                    entries.Add(new(key, value));
                }
                seen(parser.Current);
                parser.MoveNext();
                node = new YamlMapping(entries, Line(mapping.Start), Column(mapping.Start));
                break;
            default:
                throw new YamlException(current.Start, current.End, $"Unexpected {current.GetType().Name}.");
        }
        if (current is NodeEvent { Anchor.IsEmpty: false } anchored)
        {
            anchors[anchored.Anchor.Value] = node;
        }
        return node;
    }

    private static int? FirstTabIndentedLine(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            if (lines[i][..indent].Contains('\t', StringComparison.Ordinal)) return i + 1;
        }
        return null;
    }

    private static int Line(Mark mark) => (int)Math.Max(1, mark.Line);

    private static int Column(Mark mark) => (int)Math.Max(1, mark.Column);
}
