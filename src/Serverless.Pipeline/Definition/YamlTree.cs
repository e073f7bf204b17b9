namespace Serverless.Pipeline.Definition;

/// <summary>A YAML node with the place it starts in the file (1-based), read from parser events so that every node keeps its mark.</summary>
internal abstract class YamlNode(int line, int column)
{
    public int Line { get; } = line;
    public int Column { get; } = column;

    /// <summary>How the node is named in messages: "a list", "a mapping", "a value".</summary>
    public abstract string Kind { get; }
}

internal sealed class YamlScalar(string value, bool plain, int line, int column) : YamlNode(line, column)
{
    public string Value { get; } = value;

    /// <summary>Whether the scalar was written without quotes (only then can it mean null).</summary>
    public bool Plain { get; } = plain;

    public bool IsNull => Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Kind => IsNull ? "nothing" : "a single value";
}

internal sealed class YamlSequence(IReadOnlyList<YamlNode> items, int line, int column) : YamlNode(line, column)
{
    public IReadOnlyList<YamlNode> Items { get; } = items;

    public override string Kind => "a list";
}

internal sealed class YamlMapping(IReadOnlyList<KeyValuePair<YamlNode, YamlNode>> entries, int line, int column) : YamlNode(line, column)
{
    public IReadOnlyList<KeyValuePair<YamlNode, YamlNode>> Entries { get; } = entries;

    public override string Kind => "a set of fields";
}
