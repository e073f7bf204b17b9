namespace Serverless.Pipeline.Build;

/// <summary>Where the build keeps its clones of stack repositories, and how it authenticates to them.</summary>
public sealed class SourceOptions
{
    public const string Section = "Sources";

    /// <summary>A folder for repository caches and build workspaces.</summary>
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "serverless-pipeline");

    /// <summary>Access tokens for https repositories, by host name (for example <c>github.com</c>); from configuration or Key Vault, never from the repo.</summary>
    public Dictionary<string, string> Tokens { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
