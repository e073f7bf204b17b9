using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Serverless.Pipeline.Build;

/// <summary>Tools of the build stage, and how they are confined.</summary>
public sealed class BuildOptions
{
    public const string Section = "Build";

    /// <summary>
    /// The Bicep CLI. Default: the binary of the NuGet package Azure.Bicep.CommandLine.linux-x64 this
    /// assembly was built with, else <c>bicep</c> on the PATH.
    /// </summary>
    public string BicepPath { get; set; } = DefaultBicepPath();

    /// <summary>How long one Bicep compilation may take.</summary>
    public TimeSpan CompileTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Whether the Bicep CLI runs inside an OS sandbox (bubblewrap): <c>Auto</c> (default) uses it when it works on this
    /// host, <c>Bubblewrap</c> requires it (the host does not start without it), <c>None</c> never uses it. Every mode
    /// checks the template's paths first and starts the CLI with a cleared environment.
    /// </summary>
    public BuildSandboxMode Sandbox { get; set; } = BuildSandboxMode.Auto;

    /// <summary>The bubblewrap binary: a path, or a name looked up on the PATH.</summary>
    [Required]
    public string BubblewrapPath { get; set; } = "bwrap";

    /// <summary>How many builds (and validations) one process runs at once; the others wait for a turn.</summary>
    [Range(1, 64)]
    public int MaxConcurrentBuilds { get; set; } = 4;

    private static string DefaultBicepPath()
    {
        var packaged = typeof(BuildOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BicepPath")?.Value?.Replace('\\', Path.DirectorySeparatorChar);
        var published = Path.Combine(AppContext.BaseDirectory, "tools", "bicep");
        if (File.Exists(published)) return published;
        return packaged is not null && File.Exists(packaged) ? packaged : "bicep";
    }
}

/// <summary>See <see cref="BuildOptions.Sandbox"/>.</summary>
public enum BuildSandboxMode
{
    Auto,
    Bubblewrap,
    None,
}
