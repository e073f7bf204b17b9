using System.Text;
using System.Text.Json;

namespace Serverless.Pipeline.Build;

/// <summary>
/// Where the property names of a JSON document's top level, and of the objects directly under it, start: the
/// 1-based line and column (in characters) a problem about them is reported at, as an editor shows them.
/// </summary>
public sealed class JsonPropertyPositions
{
    private readonly Dictionary<(string? Parent, string Name), (int Line, int Column)> _positions = [];

    private JsonPropertyPositions()
    {
    }

    /// <summary>Reads the positions of a well-formed document; a malformed one gives what was read before the fault.</summary>
    public static JsonPropertyPositions Read(ReadOnlySpan<byte> utf8)
    {
        var positions = new JsonPropertyPositions();
        var reader = new Utf8JsonReader(utf8); // The options of JsonNode.Parse, which reads the same files.
        string? top = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth > 2) continue;
                var name = reader.GetString()!;
                var parent = reader.CurrentDepth == 1 ? null : top;
                if (reader.CurrentDepth == 1) top = name;
                positions._positions.TryAdd((parent, name), At(utf8, (int)reader.TokenStartIndex));
            }
        }
        catch (JsonException)
        {
            // The caller reports the fault itself, with JsonException's own line.
        }
        return positions;
    }

    /// <summary>Where <paramref name="name"/> starts, a property of the top level (<paramref name="parent"/> null) or of the object under <paramref name="parent"/>; (0, 0) when absent.</summary>
    public (int Line, int Column) Find(string? parent, string name) => _positions.GetValueOrDefault((parent, name));

    /// <summary>The 1-based line and character column of a byte offset.</summary>
    public static (int Line, int Column) At(ReadOnlySpan<byte> utf8, int offset)
    {
        var before = utf8[..offset];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return (before.Count((byte)'\n') + 1, Encoding.UTF8.GetCharCount(before[lineStart..]) + 1);
    }
}
