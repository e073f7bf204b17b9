using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Definition;

namespace Serverless.Pipeline.Build;

/// <summary>
/// Compiles Bicep to an ARM template with the Bicep CLI. The compiler's output carries both
/// compilation errors and the linter's diagnostics; the stack's lint policy decides which lint
/// rules fail the build. The CLI runs in the <see cref="BuildSandbox"/> this host offers, decided once.
/// </summary>
public sealed partial class BicepCompiler(IOptions<BuildOptions> options)
{
    private readonly Lazy<Task<BuildSandbox>> _sandbox = new(() => BuildSandbox.DetectAsync(options.Value));
    private string? _version;

    /// <summary>How the CLI runs on this host; a required sandbox that does not work fails every call.</summary>
    public Task<BuildSandbox> SandboxAsync() => _sandbox.Value;

    public async Task<string> VersionAsync(CancellationToken cancellation = default)
    {
        if (_version is not null) return _version;
        var run = await RunAsync(["--version"], "/", null, cancellation);
        var match = VersionPattern().Match(run.Output + run.Error);
        _version = run.Exit == 0 && match.Success ? match.Value : "unknown";
        return _version;
    }

    /// <summary>Compiles a template whose files are all in its own folder.</summary>
    public Task<BicepCompilation> CompileAsync(string templatePath, LintPolicy lint, CancellationToken cancellation = default) =>
        CompileAsync(templatePath, Path.GetDirectoryName(Path.GetFullPath(templatePath))!, lint, cancellation);

    /// <summary>Compiles a template of a stack's workspace: the one folder the CLI may read.</summary>
    public async Task<BicepCompilation> CompileAsync(string templatePath, string workspace, LintPolicy lint, CancellationToken cancellation = default)
    {
        var directory = Path.GetDirectoryName(templatePath)!;
        var (exit, output, error) = await RunAsync(["build", templatePath, "--stdout"], directory, workspace, cancellation);
        var diagnostics = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => BicepDiagnostic.Parse(line, directory))
            .Where(d => d is not null)
            .Select(d => d!)
            .ToList();
        diagnostics = RootCausesFirst(diagnostics, Path.GetFileName(templatePath));
        var failing = diagnostics.Where(d => d.Level == "Error" || (d.Level == "Warning" && lint.Fails(d.Code))).ToList();
        if (exit != 0 && failing.Count == 0)
            failing.Add(new BicepDiagnostic(Path.GetFileName(templatePath), 0, 0, "Error", "BCP000", $"The Bicep CLI exited with code {exit}: {error.Trim()}"));
        return new BicepCompilation(exit == 0 ? output : null, diagnostics, failing, error);
    }

    /// <summary>
    /// A module that does not compile makes each file that uses it report "the referenced module has errors" (BCP104),
    /// in no fixed order with the module's own error. The files' own errors come first here, in the CLI's order, then
    /// the references, those of the template itself last, so that the first problem shown is the one to fix.
    /// </summary>
    private static List<BicepDiagnostic> RootCausesFirst(List<BicepDiagnostic> diagnostics, string template)
    {
        var references = diagnostics.Where(d => d.Code == ModuleHasErrors).ToList();
        return [.. diagnostics.Where(d => d.Code != ModuleHasErrors), .. references.Where(d => d.File != template), .. references.Where(d => d.File == template)];
    }

    private const string ModuleHasErrors = "BCP104";

    private async Task<ToolRun> RunAsync(IReadOnlyList<string> arguments, string workingDirectory, string? workspace, CancellationToken cancellation)
    {
        var sandbox = await SandboxAsync();
        return await sandbox.RunAsync(options.Value.BicepPath, arguments, workingDirectory, workspace, options.Value.CompileTimeout, cancellation);
    }

    [GeneratedRegex(@"\d+\.\d+\.\d+")]
    private static partial Regex VersionPattern();
}

/// <summary>What the Bicep CLI made of a template.</summary>
/// <param name="Template">The compiled ARM template, or null when compilation failed.</param>
/// <param name="Diagnostics">Every diagnostic, errors and lint findings alike.</param>
/// <param name="Failing">The diagnostics that fail the build under the stack's lint policy.</param>
public sealed record BicepCompilation(string? Template, IReadOnlyList<BicepDiagnostic> Diagnostics, IReadOnlyList<BicepDiagnostic> Failing, string RawOutput)
{
    public bool Succeeded => Template is not null && Failing.Count == 0;
}

/// <summary>One line of the Bicep CLI's output: <c>path(line,col) : Level code: message</c>.</summary>
public sealed partial record BicepDiagnostic(string File, int Line, int Column, string Level, string Code, string Message)
{
    public override string ToString() => $"{File}({Line},{Column}): {Level} {Code}: {Message}";

    public static BicepDiagnostic? Parse(string line, string root)
    {
        var match = Pattern().Match(line);
        if (!match.Success) return null;
        var file = Path.GetRelativePath(root, match.Groups["file"].Value).Replace('\\', '/');
        return new BicepDiagnostic(file, int.Parse(match.Groups["line"].Value), int.Parse(match.Groups["col"].Value),
            match.Groups["level"].Value, match.Groups["code"].Value, LinkSuffix().Replace(match.Groups["message"].Value, "").Trim());
    }

    [GeneratedRegex(@"^(?<file>.+?)\((?<line>\d+),(?<col>\d+)\)\s*:\s*(?<level>Error|Warning|Info)\s+(?<code>[A-Za-z0-9-]+)\s*:\s*(?<message>.*)$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"\s*\[https?://[^\]]+\]\s*$")]
    private static partial Regex LinkSuffix();
}
