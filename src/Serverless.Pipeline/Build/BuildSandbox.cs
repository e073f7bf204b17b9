using System.ComponentModel;
using System.Diagnostics;

namespace Serverless.Pipeline.Build;

/// <summary>
/// How the build runs its tools. Always with a cleared environment: an allowlist, never the host's variables, which hold
/// API keys, signing keys, connection strings and app settings. Inside bubblewrap when the host has it: only /usr, the
/// tool and the stack's workspace (read-only) are visible, with an empty /tmp as home, its own /proc, no network and
/// no capabilities.
/// </summary>
public sealed class BuildSandbox
{
    /// <summary>Variables of the host a tool may need that hold no secrets: .NET's switch for hosts without ICU.</summary>
    private static readonly string[] PassedThrough = ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"];

    private BuildSandbox(string? bubblewrap, string description) => (Bubblewrap, Description) = (bubblewrap, description);

    /// <summary>The bubblewrap binary tools run in, or null when they run without an OS sandbox.</summary>
    public string? Bubblewrap { get; }

    /// <summary>One sentence for the host's start-up log.</summary>
    public string Description { get; }

    /// <summary>
    /// Decides how tools run on this host, by running the tool (<c>--version</c>) inside bubblewrap: <c>Auto</c> falls back
    /// to no OS sandbox when that fails, <c>Bubblewrap</c> throws.
    /// </summary>
    public static async Task<BuildSandbox> DetectAsync(BuildOptions options, CancellationToken cancellation = default)
    {
        const string fallback = "builds rely on the template path checks and a cleared environment";
        if (options.Sandbox == BuildSandboxMode.None)
            return new BuildSandbox(null, $"Build:Sandbox is None: the Bicep CLI runs without an OS sandbox; {fallback}.");

        var reason = await ProbeAsync(options, cancellation);
        if (reason is null)
        {
            var bubblewrap = FindExecutable(options.BubblewrapPath)!;
            return new BuildSandbox(bubblewrap,
                $"The Bicep CLI runs inside bubblewrap ({bubblewrap}): it sees only the workspace, itself and /usr, with no network and a cleared environment.");
        }
        if (options.Sandbox == BuildSandboxMode.Bubblewrap)
            throw new InvalidOperationException($"Build:Sandbox is Bubblewrap, but bubblewrap cannot run the Bicep CLI on this host: {reason}. Install bubblewrap (Debian: apt-get install bubblewrap) or set Build:Sandbox to Auto or None.");
        return new BuildSandbox(null, $"The Bicep CLI runs without an OS sandbox, because {reason}; {fallback}.");
    }

    private static async Task<string?> ProbeAsync(BuildOptions options, CancellationToken cancellation)
    {
        if (!OperatingSystem.IsLinux()) return "bubblewrap is Linux-only";
        if (FindExecutable(options.BubblewrapPath) is not { } bubblewrap) return $"'{options.BubblewrapPath}' was not found";
        try
        {
            var run = await new BuildSandbox(bubblewrap, "probe").RunAsync(options.BicepPath, ["--version"], "/", null, options.CompileTimeout, cancellation);
            return run.Exit == 0 ? null : $"'bicep --version' inside it exited with {run.Exit}: {FirstLine(run.Error + run.Output)}";
        }
        catch (Exception e) when (e is Win32Exception or IOException or InvalidOperationException)
        {
            return $"it did not start: {e.Message}";
        }
    }

    /// <summary>
    /// Runs a tool and returns what it wrote. <paramref name="workspace"/> is the one folder of the host it may read
    /// (with bubblewrap; without, the path checks guard what it reads).
    /// </summary>
    public async Task<ToolRun> RunAsync(string tool, IReadOnlyList<string> arguments, string workingDirectory, string? workspace,
        TimeSpan timeout, CancellationToken cancellation)
    {
        var home = Bubblewrap is null ? Directory.CreateTempSubdirectory("build-tool-home-").FullName : null;
        var finished = new TaskCompletionSource();
        try
        {
            using var process = await StartFromOwnThreadAsync(StartInfo(FindExecutable(tool) ?? tool, arguments, workingDirectory, workspace, home), finished.Task);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            limit.CancelAfter(timeout);
            var output = process.StandardOutput.ReadToEndAsync(limit.Token);
            var error = process.StandardError.ReadToEndAsync(limit.Token);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            return new ToolRun(process.ExitCode, await output, await error);
        }
        finally
        {
            finished.TrySetResult();
            if (home is not null) Directory.Delete(home, recursive: true);
        }
    }

    private ProcessStartInfo StartInfo(string tool, IReadOnlyList<string> arguments, string workingDirectory, string? workspace, string? home)
    {
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = home ?? "/tmp",
            ["TMPDIR"] = home ?? "/tmp",
            // Offline machines: no telemetry, no update checks.
            ["BICEP_TELEMETRY_ENABLED"] = "false",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        foreach (var name in PassedThrough)
            if (Environment.GetEnvironmentVariable(name) is { } value) environment[name] = value;

        var info = new ProcessStartInfo(Bubblewrap ?? tool)
        {
            WorkingDirectory = Bubblewrap is null ? workingDirectory : "/",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment.Clear();
        if (Bubblewrap is null)
        {
            foreach (var (name, value) in environment) info.Environment[name] = value;
        }
        else
        {
            foreach (var argument in SandboxArguments(tool, workingDirectory, workspace, environment)) info.ArgumentList.Add(argument);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(tool);
        }
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        return info;
    }

    private static IEnumerable<string> SandboxArguments(string tool, string workingDirectory, string? workspace, Dictionary<string, string> environment)
    {
        string[] isolation = ["--die-with-parent", "--new-session", "--unshare-all", "--cap-drop", "ALL", "--clearenv"];
        // An empty /tmp first: the workspace and the tool may live below it. The system's libraries are under /usr
        // (and /lib, /lib64, /bin where they are real folders or links to it); /etc stays out of sight.
        string[] system =
        [
            "--tmpfs", "/tmp",
            "--ro-bind", "/usr", "/usr",
            "--ro-bind-try", "/bin", "/bin",
            "--ro-bind-try", "/lib", "/lib",
            "--ro-bind-try", "/lib64", "/lib64",
            "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
            "--proc", "/proc",
            "--dev", "/dev",
            "--ro-bind", tool, tool,
        ];
        string[] stack = workspace is null ? [] : ["--ro-bind", workspace, workspace];
        return [.. isolation, .. system, .. stack, "--chdir", workingDirectory,
            .. environment.SelectMany(variable => new[] { "--setenv", variable.Key, variable.Value })];
    }

    /// <summary>
    /// bubblewrap's <c>--die-with-parent</c> (PR_SET_PDEATHSIG) fires when the thread that started it ends, and thread-pool
    /// threads retire when idle: the tool is started from a thread of its own that lives until the run is over.
    /// </summary>
    private static Task<Process> StartFromOwnThreadAsync(ProcessStartInfo info, Task finished)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                started.SetResult(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}."));
            }
            catch (Exception e)
            {
                started.SetException(e);
                return;
            }
            finished.Wait();
        })
        {
            IsBackground = true,
            Name = "build tool",
        };
        thread.Start();
        return started.Task;
    }

    private static string? FindExecutable(string name)
    {
        if (name.Contains(Path.DirectorySeparatorChar)) return File.Exists(name) ? Path.GetFullPath(name) : null;
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
    }

    private static string FirstLine(string text) => text.Trim().Split('\n')[0].Trim();
}

/// <summary>How a tool ended and what it wrote.</summary>
public sealed record ToolRun(int Exit, string Output, string Error);
