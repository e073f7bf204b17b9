using System.Diagnostics.CodeAnalysis;

namespace Serverless.Pipeline.Build;

/// <summary>
/// The one rule for a file a stack's content names: a relative path that stays inside the stack's workspace and
/// passes through no symbolic link.
/// </summary>
public static class WorkspacePaths
{
    /// <summary>Resolves <paramref name="path"/> against <paramref name="baseDirectory"/>, a folder inside <paramref name="workspace"/>.</summary>
    /// <param name="refusal">Why the path is refused, as the end of a sentence that starts with the path.</param>
    public static bool TryResolve(string workspace, string baseDirectory, string path,
        [NotNullWhen(true)] out string? fullPath, [NotNullWhen(false)] out string? refusal)
    {
        fullPath = null;
        refusal = path switch
        {
            "" => "is empty",
            _ when path.Any(char.IsControl) => "contains a control character",
            _ when path.StartsWith('/') || path.StartsWith('\\') || Path.IsPathRooted(path) => "is absolute; a stack's files are named by paths relative to the file that uses them",
            _ when path.Contains(':') => "is not a relative path",
            _ => null,
        };
        if (refusal is not null) return false;

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspace));
        var resolved = Path.GetFullPath(Path.Combine(baseDirectory, path));
        if (resolved != root && !resolved.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            refusal = "leaves the stack's folder; a template may use only the stack's own files";
            return false;
        }
        for (var part = resolved; part.Length > root.Length; part = Path.GetDirectoryName(part)!)
        {
            if (new FileInfo(part).LinkTarget is not null)
            {
                refusal = $"passes through the symbolic link '{Path.GetRelativePath(root, part).Replace('\\', '/')}'";
                return false;
            }
        }
        fullPath = resolved;
        return true;
    }

    /// <summary>A path inside the workspace as the stack's author sees it: relative, with forward slashes.</summary>
    public static string Relative(string workspace, string fullPath) => Path.GetRelativePath(workspace, fullPath).Replace('\\', '/');
}
