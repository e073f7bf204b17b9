using System.Text.Json;

namespace Serverless.Pipeline.Build;

/// <summary>
/// Before Bicep compiles a template, checks every file it would read: the paths of <c>load…()</c> functions, of
/// <c>module</c>, <c>import</c> and <c>extension</c> declarations, and of the extensions of each applicable
/// <c>bicepconfig.json</c>, in the template and in every Bicep file it reaches. Each must stay inside the stack's
/// workspace (<see cref="WorkspacePaths"/>); registry references are refused, because builds are offline and a
/// restore would send the host's credentials to whatever registry the stack names.
/// </summary>
public static class TemplatePaths
{
    /// <summary>Declarations whose next string names a file: <c>import 'x'</c>, <c>… from 'x'</c>, <c>extension 'x'</c>, <c>using 'x'</c>.</summary>
    private static readonly HashSet<string> PathKeywords = ["import", "from", "extension", "provider", "using"];

    /// <summary>Declarations with a symbolic name before the file: <c>module name 'x'</c>, <c>test name 'x'</c>.</summary>
    private static readonly HashSet<string> NamedPathKeywords = ["module", "test"];

    public const string ConfigFile = "bicepconfig.json";

    public static IReadOnlyList<BuildProblem> Check(string workspace, string templatePath)
    {
        var problems = new List<BuildProblem>();
        var pending = new Queue<string>([Path.GetFullPath(templatePath)]);
        var seen = new HashSet<string>(pending, StringComparer.Ordinal);
        var configs = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var file))
        {
            foreach (var reached in CheckFile(workspace, file, problems))
                if (reached.EndsWith(".bicep", StringComparison.OrdinalIgnoreCase) && File.Exists(reached) && seen.Add(reached))
                    pending.Enqueue(reached);
            if (NearestConfig(workspace, Path.GetDirectoryName(file)!) is { } config && configs.Add(config))
                CheckConfig(workspace, config, problems);
        }
        return problems;
    }

    /// <summary>Checks one Bicep file's paths; returns the files it names that are inside the workspace.</summary>
    private static List<string> CheckFile(string workspace, string file, List<BuildProblem> problems)
    {
        var name = WorkspacePaths.Relative(workspace, file);
        var reached = new List<string>();
        IReadOnlyList<BicepToken> tokens;
        try
        {
            tokens = BicepLexer.Read(File.ReadAllText(file));
        }
        catch (BicepSyntaxException e)
        {
            problems.Add(new BuildProblem("template", name, e.Line, e.Column, null, $"The file cannot be read as Bicep: {e.Message}."));
            return reached;
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind != BicepTokenKind.Name) continue;
            if (IsLoadFunction(token.Text) && Next(tokens, i, 1) is { Kind: BicepTokenKind.Symbol, Text: "(" })
            {
                if (Next(tokens, i, 2) is { Kind: BicepTokenKind.PlainString } argument)
                    CheckPath(workspace, file, name, token.Text, argument, registryAllowed: false, problems);
                else
                    problems.Add(new BuildProblem("template", name, token.Line, token.Column, token.Text,
                        $"The path of {token.Text}() must be a plain string literal ('…'), so that the build can check that it stays inside the stack; variables, interpolation and other expressions are not accepted here."));
                continue;
            }
            var path = PathKeywords.Contains(token.Text) ? Next(tokens, i, 1)
                : NamedPathKeywords.Contains(token.Text) && Next(tokens, i, 1) is { Kind: BicepTokenKind.Name } ? Next(tokens, i, 2)
                : null;
            if (path is { Kind: BicepTokenKind.PlainString })
                reached.AddRange(CheckPath(workspace, file, name, token.Text, path, registryAllowed: true, problems));
            else if (path is { Kind: BicepTokenKind.InterpolatedString })
                problems.Add(new BuildProblem("template", name, path.Line, path.Column, token.Text,
                    $"The path of a {token.Text} declaration must be a plain string literal ('…'), without interpolation."));
        }
        return reached;
    }

    private static IEnumerable<string> CheckPath(string workspace, string file, string name, string construct, BicepToken path,
        bool registryAllowed, List<BuildProblem> problems)
    {
        if (Refusal(workspace, Path.GetDirectoryName(file)!, path.Text, registryAllowed, out var resolved) is not { } refusal) return [resolved!];
        problems.Add(new BuildProblem("template", name, path.Line, path.Column, construct, refusal));
        return [];
    }

    /// <summary>Why a path named in the stack may not be used, or null with its full path.</summary>
    private static string? Refusal(string workspace, string baseDirectory, string path, bool registryAllowed, out string? resolved)
    {
        resolved = null;
        if (registryAllowed && IsRegistryReference(path))
            return $"'{path}' is a registry reference; builds are offline and never restore from a registry: copy the module or extension into the stack's repository and refer to it by a relative path.";
        return WorkspacePaths.TryResolve(workspace, baseDirectory, path, out resolved, out var reason) ? null : $"The path '{path}' {reason}.";
    }

    /// <summary>
    /// Bicep takes each file's configuration from the nearest bicepconfig.json in its folder or above; inside the
    /// workspace that is the stack's own. Its <c>extensions</c> may name local files, and its cache folder is the host's.
    /// </summary>
    private static void CheckConfig(string workspace, string config, List<BuildProblem> problems)
    {
        var name = WorkspacePaths.Relative(workspace, config);
        var bytes = File.ReadAllBytes(config);
        var lines = LineStarts(bytes);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        string? section = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName) continue;
                var property = reader.GetString()!;
                var (line, column) = Position(lines, reader.TokenStartIndex);
                if (reader.CurrentDepth == 1) section = property;
                if (reader.CurrentDepth == 1 && property == "cacheRootDirectory")
                    problems.Add(new BuildProblem("template", name, line, column, property,
                        "A stack may not set where Bicep keeps its cache: the cache folder is the build host's."));
                if (reader.CurrentDepth == 2 && section == "extensions" && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    var value = reader.GetString()!;
                    (line, column) = Position(lines, reader.TokenStartIndex);
                    if (Refusal(workspace, Path.GetDirectoryName(config)!, value, registryAllowed: true, out _) is { } refusal)
                        problems.Add(new BuildProblem("template", name, line, column, $"extensions.{property}", refusal));
                }
            }
        }
        catch (JsonException e)
        {
            problems.Add(new BuildProblem("template", name, (int)(e.LineNumber ?? -1) + 1, (int)(e.BytePositionInLine ?? -1) + 1, null,
                $"{ConfigFile} is not valid JSON: {e.Message}"));
        }
    }

    private static string? NearestConfig(string workspace, string directory)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspace));
        for (var folder = directory; folder is not null && folder.Length >= root.Length; folder = Path.GetDirectoryName(folder))
        {
            var config = Path.Combine(folder, ConfigFile);
            if (File.Exists(config)) return config;
        }
        return null;
    }

    /// <summary>Every Bicep function that reads a file starts with <c>load</c>: loadTextContent, loadFileAsBase64, loadJsonContent, loadYamlContent, loadDirectoryFileInfo.</summary>
    private static bool IsLoadFunction(string name) => name.Length > 4 && name.StartsWith("load", StringComparison.Ordinal) && char.IsAsciiLetterUpper(name[4]);

    /// <summary><c>br:…</c> and <c>ts:…</c>, or an alias of either (<c>br/public:…</c>); a folder named <c>br</c> is not one.</summary>
    private static bool IsRegistryReference(string path) =>
        path.Length > 3 && (path.StartsWith("br", StringComparison.OrdinalIgnoreCase) || path.StartsWith("ts", StringComparison.OrdinalIgnoreCase))
        && (path[2] == ':' || (path[2] == '/' && path.Contains(':')));

    private static BicepToken? Next(IReadOnlyList<BicepToken> tokens, int index, int ahead) =>
        index + ahead < tokens.Count ? tokens[index + ahead] : null;

    /// <summary>Line and column (in bytes, as the JSON reader counts) of an offset, from the offsets where lines start.</summary>
    private static (int Line, int Column) Position(List<long> lineStarts, long offset)
    {
        var index = lineStarts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line + 1, (int)(offset - lineStarts[line]) + 1);
    }

    private static List<long> LineStarts(byte[] bytes)
    {
        var starts = new List<long> { 0 };
        for (var i = 0; i < bytes.Length; i++)
            if (bytes[i] == (byte)'\n') starts.Add(i + 1);
        return starts;
    }
}
