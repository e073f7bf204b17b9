using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Serverless.Pipeline.Build;
using Serverless.Pipeline.Hosting;

namespace Serverless.Pipeline.Tests.Build;

/// <summary>
/// How the Bicep CLI is confined, on the real CLI without the path checks in front: a cleared environment in every
/// mode, and inside bubblewrap only the workspace. bubblewrap comes from scripts/ensure-tools (Debian's package).
/// </summary>
public sealed class BuildSandboxTests : IDisposable
{
    /// <summary>What a tool's environment may hold: the allowlist, and the PWD that bubblewrap sets.</summary>
    private static readonly string[] Allowed =
        ["PATH", "HOME", "TMPDIR", "BICEP_TELEMETRY_ENABLED", "DOTNET_CLI_TELEMETRY_OPTOUT", "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "PWD"];

    private readonly string _root = Directory.CreateTempSubdirectory("build-sandbox-").FullName;
    private readonly string _workspace;
    private readonly List<ServiceProvider> _services = [];

    public BuildSandboxTests()
    {
        _workspace = Path.Combine(_root, "workspace");
        Directory.CreateDirectory(_workspace);
        File.WriteAllText(Path.Combine(_root, "outside.txt"), "beside the workspace");
    }

    [Theory]
    [InlineData("None")]
    [InlineData("Bubblewrap")]
    public async Task The_CLI_starts_with_a_cleared_environment_never_the_hosts(string sandbox)
    {
        var secret = "pipeline-test-secret-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable("PIPELINE_TEST_SECRET", secret);
        var template = Template("output environ string = loadFileAsBase64('../../../../../../../../../../proc/self/environ')");

        var compilation = await Compiler(("Build:Sandbox", sandbox)).CompileAsync(template, LintPolicy.None);

        Assert.True(compilation.Succeeded, compilation.RawOutput);
        var environ = Encoding.UTF8.GetString(Convert.FromBase64String(FirstLoadedValue(compilation.Template!)));
        var names = environ.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(v => v[..v.IndexOf('=')]).ToList();
        Assert.DoesNotContain(secret, environ, StringComparison.Ordinal);
        Assert.Contains("PATH=/usr/local/bin:/usr/bin:/bin", environ, StringComparison.Ordinal); // The read worked: it is the CLI's own environment.
        Assert.All(names, name => Assert.Contains(name, Allowed));
    }

    [Fact]
    public async Task In_bubblewrap_the_CLI_sees_neither_etc_nor_the_folders_beside_its_workspace()
    {
        var template = Template("""
            output users string = loadTextContent('../../../../../../../../../../etc/passwd')
            output beside string = loadTextContent('../outside.txt')
            """);

        var compilation = await Compiler(("Build:Sandbox", "Bubblewrap")).CompileAsync(template, LintPolicy.None);

        Assert.Null(compilation.Template);
        Assert.Equal([1, 2], compilation.Failing.Where(d => d.Code == "BCP091").Select(d => d.Line));
    }

    [Fact]
    public async Task The_template_compiled_in_bubblewrap_is_byte_identical_to_the_CLIs_own_output()
    {
        var sample = Path.Combine(Serverless.LocalServices.RepositoryRoot.Path, "samples", "sample-network", "main.bicep");
        var template = Template(File.ReadAllText(sample));

        var boxed = await Compiler(("Build:Sandbox", "Bubblewrap")).CompileAsync(template, LintPolicy.None);
        var cleared = await Compiler(("Build:Sandbox", "None")).CompileAsync(template, LintPolicy.None);
        var direct = await RunCliDirectlyAsync(template);

        Assert.True(boxed.Succeeded, boxed.RawOutput);
        Assert.Equal(direct, boxed.Template);
        Assert.Equal(direct, cleared.Template);
    }

    [Fact]
    public async Task By_default_this_host_uses_bubblewrap()
    {
        var sandbox = await Compiler().SandboxAsync();

        Assert.True(sandbox.Bubblewrap is not null, $"bubblewrap is not usable here ({sandbox.Description}); scripts/ensure-tools installs it as root.");
        Assert.Contains("inside bubblewrap", sandbox.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_bubblewrap_auto_falls_back_and_says_why()
    {
        var compiler = Compiler(("Build:BubblewrapPath", "/nonexistent/bwrap"));

        var sandbox = await compiler.SandboxAsync();

        Assert.Null(sandbox.Bubblewrap);
        Assert.Contains("'/nonexistent/bwrap' was not found", sandbox.Description, StringComparison.Ordinal);
        Assert.Matches(@"^\d+\.\d+\.\d+$", await compiler.VersionAsync());
    }

    [Fact]
    public async Task A_required_sandbox_that_cannot_run_fails_every_compilation_clearly()
    {
        var compiler = Compiler(("Build:Sandbox", "Bubblewrap"), ("Build:BubblewrapPath", "/nonexistent/bwrap"));

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => compiler.CompileAsync(Template("output x int = 1"), LintPolicy.None));

        Assert.StartsWith("Build:Sandbox is Bubblewrap, but bubblewrap cannot run the Bicep CLI on this host: '/nonexistent/bwrap' was not found",
            refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Build:MaxConcurrentBuilds", "0")]
    [InlineData("Sources:MaxFileBytes", "0")]
    [InlineData("Sources:MaxCheckoutBytes", "1000")] // Smaller than the largest file (8 MiB by default).
    [InlineData("Sources:MaxCheckoutFiles", "-1")]
    public void Limits_out_of_range_are_refused(string setting, string value)
    {
        var services = Services((setting, value));

        var refusal = Assert.ThrowsAny<OptionsValidationException>(() =>
            (services.GetRequiredService<IOptions<BuildOptions>>().Value, services.GetRequiredService<IOptions<SourceOptions>>().Value));

        Assert.Contains(setting.Split(':')[1], refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Builds_beyond_the_limit_wait_for_a_turn()
    {
        using var slots = new BuildSlots(Options.Create(new BuildOptions { MaxConcurrentBuilds = 1 }));

        var first = await slots.EnterAsync(CancellationToken.None);
        var second = slots.EnterAsync(CancellationToken.None);
        Assert.False(second.IsCompleted);
        first.Dispose();
        first.Dispose(); // Ending a turn twice frees one slot only.
        using var turn = await second;
        Assert.False(slots.EnterAsync(new CancellationToken(canceled: true)).IsCompletedSuccessfully);
    }

    private string Template(string bicep)
    {
        var path = Path.Combine(_workspace, "main.bicep");
        File.WriteAllText(path, bicep);
        return path;
    }

    /// <summary>The value of the first file a template loaded: Bicep keeps it in a variable named <c>$fxv#0</c>.</summary>
    private static string FirstLoadedValue(string template) => (string)JsonNode.Parse(template)!["variables"]!["$fxv#0"]!;

    private static async Task<string> RunCliDirectlyAsync(string template)
    {
        var start = new ProcessStartInfo(new BuildOptions().BicepPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "build", template, "--stdout" }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await error);
        return await output;
    }

    private BicepCompiler Compiler(params (string Key, string Value)[] settings) => Services(settings).GetRequiredService<BicepCompiler>();

    private ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddPipeline(configuration).BuildServiceProvider();
        _services.Add(services);
        return services;
    }

    public void Dispose()
    {
        foreach (var services in _services) services.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
