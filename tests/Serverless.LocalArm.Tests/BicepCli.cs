using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;

namespace Serverless.LocalArm.Tests;

/// <summary>
/// The real Bicep CLI (from the NuGet package Azure.Bicep.CommandLine.linux-x64, as the build stage
/// uses it): compiles the test stacks under <c>Stacks/</c> to ARM JSON, and evaluates
/// <c>.bicepparam</c> files, whose expressions the CLI computes with ARM's own expression library.
/// A compiled stack is kept in the temp folder under a hash of the CLI's path and of the stacks'
/// sources: the CLI takes seconds to start.
/// </summary>
internal static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static string StacksRoot => Path.Combine(AppContext.BaseDirectory, "Stacks");

    public static string ExecutablePath =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "BicepPath")?.Value?
            .Replace('\\', Path.DirectorySeparatorChar)
        ?? throw new InvalidOperationException("The test assembly has no BicepPath metadata: is Azure.Bicep.CommandLine.linux-x64 referenced?");

    /// <summary><c>Stacks/{stack}/main.bicep</c> compiled to ARM JSON.</summary>
    public static async Task<JsonObject> BuildStackAsync(string stack)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ExecutablePath + "\n" + stack + "\n" + SourcesDigest())))[..16];
        var cached = Path.Combine(Path.GetTempPath(), "serverless-localarm-tests", $"{stack}-{key}.json");
        if (!File.Exists(cached))
        {
            var json = await RunAsync("build", Path.Combine(StacksRoot, stack, "main.bicep"), "--stdout");
            Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
            var temporary = $"{cached}.{Guid.NewGuid():N}.tmp";
            await File.WriteAllTextAsync(temporary, json);
            File.Move(temporary, cached, overwrite: true);
        }
        return JsonNode.Parse(await File.ReadAllTextAsync(cached))!.AsObject();
    }

    /// <summary>The parameter values of a <c>.bicepparam</c> file as the CLI computes them.</summary>
    public static async Task<JsonObject> BuildParamsAsync(string bicepparamFile)
    {
        var output = JsonNode.Parse(await RunAsync("build-params", bicepparamFile, "--stdout"))!;
        return JsonNode.Parse(output["parametersJson"]!.GetValue<string>())!["parameters"]!.AsObject();
    }

    private static string SourcesDigest()
    {
        var digest = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(StacksRoot, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            digest.Append(Path.GetRelativePath(StacksRoot, file)).Append('\n').Append(File.ReadAllText(file)).Append('\n');
        return digest.ToString();
    }

    private static async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(ExecutablePath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the Bicep CLI at {ExecutablePath}.");
        using var timeout = new CancellationTokenSource(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"bicep {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await stderr}");
        return await stdout;
    }
}
