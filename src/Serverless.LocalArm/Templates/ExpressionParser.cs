using System.Globalization;
using System.Text.Json.Nodes;

namespace Serverless.LocalArm.Templates;

/// <summary>A node of a template language expression such as <c>concat(parameters('a'), '-x')</c>.</summary>
internal abstract record ExpressionNode;

internal sealed record LiteralNode(JsonNode? Value) : ExpressionNode;

internal sealed record CallNode(string Function, IReadOnlyList<ExpressionNode> Arguments) : ExpressionNode;

internal sealed record MemberNode(ExpressionNode Target, string Member) : ExpressionNode;

internal sealed record IndexNode(ExpressionNode Target, ExpressionNode Index) : ExpressionNode;

/// <summary>Parses the inside of <c>[...]</c>: calls (also <c>namespace.function(...)</c>), string and integer literals, <c>.member</c> and <c>[index]</c>.</summary>
internal sealed class ExpressionParser
{
    private readonly string text;
    private int position;

    private ExpressionParser(string text) => this.text = text;

    /// <summary>True when a template string is an expression: <c>[...]</c> but not the escape <c>[[...</c>.</summary>
    public static bool IsExpression(string value) =>
        value.Length >= 2 && value[0] == '[' && value[^1] == ']' && !value.StartsWith("[[", StringComparison.Ordinal);

    public static ExpressionNode Parse(string expression)
    {
        var parser = new ExpressionParser(expression[1..^1]);
        var node = parser.ParseExpression();
        parser.SkipSpace();
        if (parser.position != parser.text.Length)
            throw new UnsupportedExpressionException($"Unexpected text at {parser.position} in '{expression}'.");
        return node;
    }

    private ExpressionNode ParseExpression()
    {
        var node = ParsePrimary();
        while (true)
        {
            SkipSpace();
            if (TryTake('.'))
                node = new MemberNode(node, ReadIdentifier());
            else if (TryTake('['))
            {
                var index = ParseExpression();
                Expect(']');
                node = new IndexNode(node, index);
            }
            else
                return node;
        }
    }

    private ExpressionNode ParsePrimary()
    {
        SkipSpace();
        if (position >= text.Length)
            throw new UnsupportedExpressionException("The expression ended early.");
        var c = text[position];
        if (c == '\'')
            return new LiteralNode(JsonValue.Create(ReadString()));
        if (char.IsDigit(c) || c == '-')
            return new LiteralNode(JsonValue.Create(ReadInteger()));
        var name = ReadIdentifier();
        if (TryTake('.'))
            name += "." + ReadIdentifier(); // a user-defined function: namespace.member(...)
        Expect('(');
        var arguments = new List<ExpressionNode>();
        SkipSpace();
        if (!TryTake(')'))
        {
            do
                arguments.Add(ParseExpression());
            while (TryTake(','));
            Expect(')');
        }
        return new CallNode(name, arguments);
    }

    private string ReadString()
    {
        position++;
        var value = new System.Text.StringBuilder();
        while (position < text.Length)
        {
            var c = text[position++];
            if (c != '\'')
                value.Append(c);
            else if (position < text.Length && text[position] == '\'')
            {
                value.Append('\'');
                position++;
            }
            else
                return value.ToString();
        }
        throw new UnsupportedExpressionException("Unterminated string literal.");
    }

    private long ReadInteger()
    {
        var start = position;
        if (text[position] == '-')
            position++;
        while (position < text.Length && char.IsDigit(text[position]))
            position++;
        return long.Parse(text.AsSpan(start, position - start), CultureInfo.InvariantCulture);
    }

    private string ReadIdentifier()
    {
        SkipSpace();
        var start = position;
        while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_'))
            position++;
        if (start == position)
            throw new UnsupportedExpressionException($"Expected a name at {start}.");
        return text[start..position];
    }

    private void SkipSpace()
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
            position++;
    }

    private bool TryTake(char c)
    {
        SkipSpace();
        if (position < text.Length && text[position] == c)
        {
            position++;
            return true;
        }
        return false;
    }

    private void Expect(char c)
    {
        if (!TryTake(c))
            throw new UnsupportedExpressionException($"Expected '{c}' at {position}.");
    }
}
