using System.Text;
using System.Text.RegularExpressions;

namespace Serverless.Pipeline.Definition;

/// <summary>
/// A path glob relative to the stack root, matched against paths with '/' separators, case-sensitively (as git does):
/// <c>*</c> matches any characters within one path segment, <c>?</c> one character other than '/',
/// and <c>**</c>, as a whole segment, any number of segments (zero included). Globs are anchored at the stack root:
/// <c>*.sql</c> matches only files at the root, <c>**/*.sql</c> matches them at any depth.
/// </summary>
public sealed class GlobPattern
{
    private readonly Regex regex;

    private GlobPattern(string glob, Regex regex)
    {
        Glob = glob;
        this.regex = regex;
    }

    public string Glob { get; }

    public bool IsMatch(string path) => regex.IsMatch(NormalizePath(path));

    /// <summary>Compiles a glob, or explains why it is not one.</summary>
    public static bool TryCreate(string glob, out GlobPattern? pattern, out string? error)
    {
        pattern = null;
        error = Check(glob);
        if (error is not null) return false;
        pattern = new GlobPattern(glob, new Regex(ToRegex(glob), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
        return true;
    }

    public static GlobPattern Create(string glob) =>
        TryCreate(glob, out var pattern, out var error) ? pattern! : throw new ArgumentException(error, nameof(glob));

    /// <summary>Paths as git reports them, relative to the stack root: '/' separators, no leading "./" or "/".</summary>
    public static string NormalizePath(string path)
    {
        var normalized = path.Replace('\\', '/');
        while (normalized.StartsWith("./", StringComparison.Ordinal)) normalized = normalized[2..];
        return normalized.TrimStart('/');
    }

    private static string? Check(string glob)
    {
        if (string.IsNullOrWhiteSpace(glob)) return "A glob may not be empty.";
        if (glob.Contains('\\', StringComparison.Ordinal)) return $"'{glob}' uses '\\'; separate folders with '/'.";
        if (glob.StartsWith('/')) return $"'{glob}' starts with '/'; globs are relative to the stack root.";
        var unsupported = glob.FirstOrDefault(c => c is '[' or ']' or '{' or '}' or '!');
        if (unsupported != default) return $"'{glob}' uses '{unsupported}', which is not supported; use '*', '**' and '?'.";
        foreach (var segment in glob.Split('/'))
        {
            if (segment.Length == 0) return $"'{glob}' has an empty path segment ('//' or a trailing '/').";
            if (segment is "." or "..") return $"'{glob}' uses '{segment}'; globs are relative to the stack root and may not leave it.";
            if (segment != "**" && segment.Contains("**", StringComparison.Ordinal)) return $"'{glob}' uses '**' inside a segment; '**' must stand alone between '/' (as in 'modules/**/*.bicep').";
        }
        return null;
    }

    private static string ToRegex(string glob)
    {
        var segments = glob.Split('/');
        var pattern = new StringBuilder("^");
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            if (segments[i] == "**")
            {
                // "**" alone: any path; "**/" before more segments: zero or more folders.
                pattern.Append(last ? ".*" : "(?:[^/]+/)*");
                continue;
            }
            foreach (var c in segments[i])
            {
                pattern.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
            if (!last) pattern.Append('/');
        }
        return pattern.Append('$').ToString();
    }
}
