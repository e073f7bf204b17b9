using System.ComponentModel.DataAnnotations;

namespace Serverless.Pipeline.Build;

/// <summary>
/// Where the build keeps its clones of stack repositories, how it authenticates to them, and how much of a stack one
/// build may write to disk.
/// </summary>
public sealed class SourceOptions
{
    public const string Section = "Sources";

    /// <summary>A folder for repository caches and build workspaces.</summary>
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "serverless-pipeline");

    /// <summary>Access tokens for https repositories, by host name (for example <c>github.com</c>); from configuration or Key Vault, never from the repo.</summary>
    public Dictionary<string, string> Tokens { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The largest single file of a stack a build checks out, in bytes (default 8 MiB; ARM takes templates up to 4 MB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 8L << 20;

    /// <summary>The most bytes one build checks out, all files of the stack together (default 64 MiB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxCheckoutBytes { get; set; } = 64L << 20;

    /// <summary>The most files one build checks out (default 10,000).</summary>
    [Range(1, int.MaxValue)]
    public int MaxCheckoutFiles { get; set; } = 10_000;
}
