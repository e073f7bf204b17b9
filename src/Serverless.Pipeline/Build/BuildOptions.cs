using System.Reflection;

namespace Serverless.Pipeline.Build;

/// <summary>Tools of the build stage.</summary>
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

    private static string DefaultBicepPath()
    {
        var packaged = typeof(BuildOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BicepPath")?.Value?.Replace('\\', Path.DirectorySeparatorChar);
        var published = Path.Combine(AppContext.BaseDirectory, "tools", "bicep");
        if (File.Exists(published)) return published;
        return packaged is not null && File.Exists(packaged) ? packaged : "bicep";
    }
}
