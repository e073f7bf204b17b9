using LibGit2Sharp;

namespace Serverless.EndToEnd.Tests;

/// <summary>
/// A LocalHost whose environment holds a secret, small build limits, and a stack whose repository a hostile author
/// writes: a copy of the sample stack, registered as <see cref="Stack"/>.
/// </summary>
public sealed class HostileRepositoryFixture : IAsyncLifetime
{
    public const string Stack = "hostile-network";
    public const string SecretVariable = "PIPELINE_TEST_SECRET";
    public const int MaxFileBytes = 64 * 1024;
    public const int MaxCheckoutBytes = 256 * 1024;

    public static readonly string Secret = "hostile-e2e-secret-" + Guid.NewGuid().ToString("N");

    public Azurite Azurite { get; private set; } = null!;
    public LocalHostProcess Host { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public string WorkDirectory { get; private set; } = null!;
    public StackRepository Repository { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // LocalHost inherits this process's environment, as it would inherit app settings and keys.
        Environment.SetEnvironmentVariable(SecretVariable, Secret);
        Azurite = await Azurite.StartOnFreePortsAsync();
        WorkDirectory = Directory.CreateTempSubdirectory("pipeline-hostile-").FullName;
        Host = await LocalHostProcess.StartAsync(Azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Sources:WorkDirectory"] = WorkDirectory,
            ["Sources:MaxFileBytes"] = MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sources:MaxCheckoutBytes"] = MaxCheckoutBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        Client = Host.CreateClient();
        Repository = CreateRepository(Path.Combine(WorkDirectory, "hostile-repo"));
        var registered = await Client.PutAsJsonAsync($"/api/stacks/{Stack}", Registration(new Uri(Repository.Directory).AbsoluteUri));
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
    }

    /// <summary>The body of <c>PUT /api/stacks/{stack}</c>: the sample stack's environments (its delivery.yaml).</summary>
    private static object Registration(string repository) =>
        Registrations.Of(Stack, repository, ["dev", "staging"], ["prod-westeurope", "prod-northeurope", "prod-eastus"]);

    private static StackRepository CreateRepository(string directory)
    {
        var sample = Path.Combine(RepositoryRoot.Path, "samples", "sample-network");
        LibGit2Sharp.Repository.Init(directory);
        using (var repository = new LibGit2Sharp.Repository(directory))
        {
            repository.Refs.UpdateTarget("HEAD", "refs/heads/main");
            foreach (var file in Directory.EnumerateFiles(sample, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(directory, Path.GetRelativePath(sample, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            Commands.Stage(repository, "*");
            var signature = new Signature("Mallory Example", "mallory@contoso.example", DateTimeOffset.UtcNow);
            repository.Commit("The sample network stack", signature, signature);
        }
        return new StackRepository(directory);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
        try { Directory.Delete(WorkDirectory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// What a stack's repository contains stays in its box: each attack of issue 14 (items 1 and 4) through
/// <c>POST /api/stacks/{stack}/validate?commit=</c>, which runs the build's checks without a run.
/// </summary>
public sealed class HostileRepositoryTests(HostileRepositoryFixture app) : IClassFixture<HostileRepositoryFixture>
{
    private const string Passwd = "root:x:0:0";

    [Fact]
    public async Task A_template_reading_etc_passwd_by_a_relative_path_is_refused_with_its_line()
    {
        var (report, body) = await ValidateAsync(Append("output users string = loadTextContent('../../../../../../../../../../etc/passwd')"));

        var problem = SingleProblem(report);
        Assert.Equal(("template", "main.bicep", "loadTextContent"), ((string)problem["source"]!, (string)problem["file"]!, (string)problem["field"]!));
        Assert.Equal(TemplateLines(), (int)problem["line"]!);
        Assert.Contains("leaves the stack's folder", (string)problem["message"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(Passwd, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hosts_environment_cannot_be_read_through_proc_self_environ()
    {
        var (report, body) = await ValidateAsync(Append("output environ string = loadFileAsBase64('../../../../../../../../../../proc/self/environ')"));

        Assert.Equal("loadFileAsBase64", (string)SingleProblem(report)["field"]!);
        Assert.DoesNotContain(HostileRepositoryFixture.Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain(HostileRepositoryFixture.Secret, app.Host.Process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_absolute_path_is_refused()
    {
        var (report, _) = await ValidateAsync(Append("output users string = loadTextContent('/etc/passwd')"));

        var problem = SingleProblem(report);
        Assert.Equal(("template", "loadTextContent"), ((string)problem["source"]!, (string)problem["field"]!));
        Assert.Contains("is absolute", (string)problem["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_module_outside_the_stack_is_refused()
    {
        // Beside the build workspaces (WorkDirectory/builds/{id}): what another stack or the host could have left there.
        Directory.CreateDirectory(Path.Combine(app.WorkDirectory, "outside"));
        await File.WriteAllTextAsync(Path.Combine(app.WorkDirectory, "outside", "evil.bicep"), "output stolen string = 'compiled from outside the stack'\n");

        var (report, body) = await ValidateAsync(Append("module evil '../../outside/evil.bicep' = {\n  name: 'evil'\n}"));

        var problem = SingleProblem(report);
        Assert.Equal(("main.bicep", "module"), ((string)problem["file"]!, (string)problem["field"]!));
        Assert.DoesNotContain("compiled from outside", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_just_over_the_size_limit_fails_validation_and_nothing_is_left_on_disk()
    {
        var commit = app.Repository.Commit("assets/big.bin", _ => new string('x', HostileRepositoryFixture.MaxFileBytes + 1), "A big file");

        var (report, _) = await ValidateAsync(commit);

        var problem = SingleProblem(report);
        Assert.Equal(("source", "assets/big.bin", "Sources:MaxFileBytes"), ((string)problem["source"]!, (string)problem["file"]!, (string)problem["field"]!));
        Assert.Contains("65,537 bytes, over the largest file a build checks out (65,536 bytes)", (string)problem["message"]!, StringComparison.Ordinal);
        app.Repository.Commit("assets/big.bin", _ => "small again", "Shrink the big file");
    }

    [Fact]
    public async Task Files_over_the_total_limit_fail_validation_and_nothing_is_left_on_disk()
    {
        for (var i = 0; i < 5; i++)
            app.Repository.Commit($"data/part{i}.txt", _ => new string('x', HostileRepositoryFixture.MaxFileBytes), $"Part {i}");

        var (report, _) = await ValidateAsync(app.Repository.Head);

        var problem = SingleProblem(report);
        Assert.Equal(("source", "Sources:MaxCheckoutBytes"), ((string)problem["source"]!, (string)problem["field"]!));
        Assert.Contains("(262,144 bytes)", (string)problem["message"]!, StringComparison.Ordinal);
        for (var i = 0; i < 5; i++) app.Repository.Commit($"data/part{i}.txt", _ => "", $"Empty part {i}");
    }

    /// <summary>Adds a line to the end of the stack's template, replacing the line an earlier test added.</summary>
    private string Append(string line) =>
        app.Repository.Commit("main.bicep", text => Original(text) + Marker + "\n" + line + "\n", "Hostile change");

    private const string Marker = "// hostile:";

    private static string Original(string text) => (text.Contains(Marker, StringComparison.Ordinal) ? text[..text.IndexOf(Marker, StringComparison.Ordinal)] : text).TrimEnd('\n') + "\n";

    private int TemplateLines() => File.ReadAllText(Path.Combine(app.Repository.Directory, "main.bicep")).TrimEnd('\n').Split('\n').Length;

    private async Task<(JsonObject Report, string Body)> ValidateAsync(string commit)
    {
        var response = await app.Client.PostAsync($"/api/stacks/{HostileRepositoryFixture.Stack}/validate?commit={commit}", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var builds = Path.Combine(app.WorkDirectory, "builds");
        Assert.False(Directory.Exists(builds) && Directory.EnumerateFileSystemEntries(builds).Any(), "A build workspace was left on disk.");
        return (JsonNode.Parse(body)!.AsObject(), body);
    }

    private static JsonObject SingleProblem(JsonObject report)
    {
        Assert.False((bool)report["valid"]!, report.ToJsonString());
        return Assert.Single(report["problems"]!.AsArray())!.AsObject();
    }
}

/// <summary>A LocalHost told to require bubblewrap does not start where it cannot run.</summary>
public sealed class RequiredSandboxTests
{
    [Fact]
    public async Task A_required_sandbox_that_does_not_work_stops_the_start()
    {
        await using var azurite = await Azurite.StartOnFreePortsAsync();
        var work = Directory.CreateTempSubdirectory("pipeline-sandbox-").FullName;
        try
        {
            await using var host = ChildProcess.Start("dotnet",
                [LocalHostProcess.AssemblyPath, "--urls", $"http://127.0.0.1:{FreePort.Next()}", $"--Storage:ConnectionString={azurite.ConnectionString}",
                 $"--Sources:WorkDirectory={work}", "--Build:Sandbox=Bubblewrap", "--Build:BubblewrapPath=/nonexistent/bwrap"],
                RepositoryRoot.Path);

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await host.WaitForExitAsync(timeout.Token);

            Assert.NotEqual(0, host.ExitCode);
            Assert.Contains("Build:Sandbox is Bubblewrap, but bubblewrap cannot run the Bicep CLI on this host", host.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
