using System.Globalization;

namespace Serverless.Pipeline.Definition;

/// <summary>
/// The fields of one YAML mapping, read by name with type checks. Unknown, repeated and non-text field names
/// are reported when the mapping is opened; every read reports its own problems and returns null on failure,
/// so that the reader can go on and find the next problem.
/// </summary>
internal sealed class Fields
{
    private readonly Dictionary<string, KeyValuePair<YamlScalar, YamlNode>> entries = new(StringComparer.Ordinal);

    private Fields(YamlMapping mapping, string path, ProblemSink problems, IReadOnlyCollection<string> known)
    {
        Mapping = mapping;
        Path = path;
        Problems = problems;
        foreach (var (key, value) in mapping.Entries)
        {
            if (key is not YamlScalar { IsNull: false } name)
            {
                problems.Add(key, path, $"A field name must be plain text, not {key.Kind}.");
                continue;
            }
            var field = FieldPath.Child(path, name.Value);
            if (!known.Contains(name.Value))
            {
                var nearest = FieldNameSuggestion.Nearest(name.Value, known);
                problems.Add(name, field, nearest is not null
                    ? $"Unknown field '{name.Value}'. Did you mean '{nearest}'?"
                    : $"Unknown field '{name.Value}'. Known fields here: {string.Join(", ", known)}.");
                continue;
            }
            if (!entries.TryAdd(name.Value, new(name, value)))
            {
                problems.Add(name, field, $"'{name.Value}' is given more than once; give each field once.");
            }
        }
    }

    public YamlMapping Mapping { get; }

    public string Path { get; }

    public ProblemSink Problems { get; }

    /// <summary>The fields of <paramref name="node"/>, or null (reported) when it is not a mapping.</summary>
    public static Fields? Of(YamlNode node, string path, ProblemSink problems, IReadOnlyCollection<string> known)
    {
        if (node is YamlMapping mapping) return new Fields(mapping, path, problems, known);
        problems.Add(node, path, $"Expected a set of fields ({string.Join(", ", known.Select(k => k + ":"))}), found {node.Kind}.");
        return null;
    }

    public string PathOf(string name) => FieldPath.Child(Path, name);

    public bool Has(string name) => Value(name) is not null;

    /// <summary>The value of a field, or null when it is absent or written as null.</summary>
    public YamlNode? Value(string name) =>
        entries.TryGetValue(name, out var entry) && entry.Value is not YamlScalar { IsNull: true } ? entry.Value : null;

    /// <summary>Where a field is written (its name), or where the mapping starts when it is absent.</summary>
    public YamlNode Place(string name) => entries.TryGetValue(name, out var entry) ? entry.Key : Mapping;

    /// <summary>The value of a required field; reports it as missing (or empty) and returns null otherwise.</summary>
    public YamlNode? Required(string name)
    {
        var value = Value(name);
        if (value is not null) return value;
        if (entries.TryGetValue(name, out var entry))
            Problems.Add(entry.Key, PathOf(name), $"'{name}' has no value; it is required.");
        else
            Problems.Add(Mapping, PathOf(name), $"'{name}' is required.");
        return null;
    }

    public void Report(string name, string message) => Problems.Add(Value(name) ?? Place(name), PathOf(name), message);

    public string? RequiredText(string name) => Required(name) is { } node ? Text(node, PathOf(name)) : null;

    public string? OptionalText(string name) => Value(name) is { } node ? Text(node, PathOf(name)) : null;

    public bool? Bool(string name, bool fallback)
    {
        if (Value(name) is not { } node) return fallback;
        if (Text(node, PathOf(name)) is not { } text) return null;
        if (bool.TryParse(text, out var value)) return value;
        Problems.Add(node, PathOf(name), $"'{text}' is not true or false.");
        return null;
    }

    public int? Int(string name, int fallback)
    {
        if (Value(name) is not { } node) return fallback;
        if (Text(node, PathOf(name)) is not { } text) return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        Problems.Add(node, PathOf(name), $"'{text}' is not a whole number.");
        return null;
    }

    public TimeSpan? Duration(string name, TimeSpan fallback)
    {
        if (Value(name) is not { } node) return fallback;
        if (Text(node, PathOf(name)) is not { } text) return null;
        if (DurationText.TryParse(text, out var value)) return value;
        Problems.Add(node, PathOf(name), $"'{text}' is not a duration; write {DurationText.Forms}.");
        return null;
    }

    /// <summary>The items of a list field with their paths; null when absent (reported if required) or not a list.</summary>
    public IReadOnlyList<(YamlNode Node, string Path)>? List(string name, bool required)
    {
        var node = required ? Required(name) : Value(name);
        if (node is null) return null;
        if (node is YamlSequence sequence)
            return [.. sequence.Items.Select((item, i) => (item, FieldPath.Item(PathOf(name), i)))];
        Problems.Add(node, PathOf(name), $"Expected a list, found {node.Kind}.");
        return null;
    }

    /// <summary>A list of text values; items that are not text are reported and left out.</summary>
    public IReadOnlyList<(string Value, YamlNode Node, string Path)>? TextList(string name, bool required)
    {
        if (List(name, required) is not { } items) return null;
        var texts = new List<(string, YamlNode, string)>();
        foreach (var (node, path) in items)
        {
            if (Text(node, path) is { } text) texts.Add((text, node, path));
        }
        return texts;
    }

    /// <summary>A nested set of fields; null when absent (reported if required) or not a mapping.</summary>
    public Fields? Section(string name, bool required, IReadOnlyCollection<string> known)
    {
        var node = required ? Required(name) : Value(name);
        return node is null ? null : Of(node, PathOf(name), Problems, known);
    }

    /// <summary>The text of a single value; reports lists, mappings, nulls and blank text.</summary>
    public string? Text(YamlNode node, string path)
    {
        if (node is YamlScalar { IsNull: false } scalar && !string.IsNullOrWhiteSpace(scalar.Value)) return scalar.Value.Trim();
        Problems.Add(node, path, node is YamlScalar ? "Expected a value, found nothing." : $"Expected a single value, found {node.Kind}.");
        return null;
    }
}
