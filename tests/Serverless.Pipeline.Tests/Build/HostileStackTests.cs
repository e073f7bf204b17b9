using Serverless.Pipeline.Build;

namespace Serverless.Pipeline.Tests.Build;

/// <summary>
/// A stack author who tries to make the build read or write outside the stack, on real git repositories and the real
/// Bicep CLI, through the build's inspection as the hosts wire it (settings by configuration).
/// </summary>
public sealed class HostileStackTests : IDisposable
{
    private const string Passwd = "root:x:0:0";
    private const string FileLimit = "4096";
    private const string TotalLimit = "16384";

    private readonly StackInspections _inspections = new(new Dictionary<string, string?>
    {
        ["Sources:MaxFileBytes"] = FileLimit,
        ["Sources:MaxCheckoutBytes"] = TotalLimit,
    });

    private string WorkDirectory => _inspections.WorkDirectory;

    [Fact]
    public async Task Reading_etc_passwd_by_a_relative_path_is_refused_before_compiling()
    {
        var (repo, commit) = Hostile("output users string = loadTextContent('../../../../../../../../../../etc/passwd')");

        var inspection = await InspectAsync(repo, commit);

        var problem = Assert.Single(inspection.Problems);
        Assert.Equal(("template", "main.bicep", "loadTextContent"), (problem.Source, problem.File, problem.Field));
        Assert.Equal((LastLine(repo), 39), (problem.Line, problem.Column));
        Assert.Contains("leaves the stack's folder", problem.Message, StringComparison.Ordinal);
        Assert.Null(inspection.CompiledTemplate);
        Assert.DoesNotContain(Passwd, inspection.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hosts_environment_does_not_reach_the_template_or_the_log()
    {
        var secret = "pipeline-test-secret-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable("PIPELINE_TEST_SECRET", secret);
        var (repo, commit) = Hostile("output environ string = loadFileAsBase64('../../../../../../../../../../proc/self/environ')");

        var inspection = await InspectAsync(repo, commit);

        Assert.Contains(inspection.Problems, p => p.Field == "loadFileAsBase64" && p.Line == LastLine(repo));
        Assert.Null(inspection.CompiledTemplate);
        Assert.DoesNotContain(secret, inspection.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_absolute_path_is_refused_by_the_build_itself()
    {
        var (repo, commit) = Hostile("output users string = loadTextContent('/etc/passwd')");

        var problem = Assert.Single((await InspectAsync(repo, commit)).Problems);

        Assert.Equal(("template", "loadTextContent"), (problem.Source, problem.Field));
        Assert.Contains("is absolute", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_module_outside_the_workspace_is_refused()
    {
        Outside("evil.bicep", "output stolen string = 'compiled from outside the stack'\n");
        var (repo, commit) = Hostile("module evil '../../outside/evil.bicep' = {\n  name: 'evil'\n}");

        var inspection = await InspectAsync(repo, commit);

        var problem = Assert.Single(inspection.Problems);
        Assert.Equal(("main.bicep", "module", 13), (problem.File, problem.Field, problem.Column));
        Assert.Null(inspection.CompiledTemplate);
    }

    [Fact]
    public async Task An_import_outside_the_workspace_is_refused()
    {
        Outside("shared.bicep", "@export()\nvar stolen = 'imported from outside the stack'\n");
        var (repo, commit) = Hostile("import {stolen} from '../../outside/shared.bicep'\noutput stolen string = stolen");

        var inspection = await InspectAsync(repo, commit);

        var problem = Assert.Single(inspection.Problems);
        Assert.Equal(("main.bicep", "from"), (problem.File, problem.Field));
        Assert.Null(inspection.CompiledTemplate);
    }

    [Fact]
    public async Task A_symbolic_link_to_etc_passwd_in_the_repository_is_not_checked_out()
    {
        var repo = Track(GitStack.WithSample());
        var commit = repo.Symlink("passwd", "/etc/passwd")
            .Edit("main.bicep", t => t + "\noutput users string = loadTextContent('passwd')\n").Commit("A link out");

        var inspection = await InspectAsync(repo, commit);

        Assert.Contains(inspection.Problems, p => p.Source == "bicep" && p.Field == "BCP091"); // The file does not exist.
        Assert.Null(inspection.CompiledTemplate);
        Assert.DoesNotContain(Passwd, inspection.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_submodule_is_neither_fetched_nor_checked_out()
    {
        using var vendor = new GitStack();
        var secretCommit = vendor.Write("secret.txt", "a submodule's secret").Commit("Secret");
        var repo = Track(GitStack.WithSample());
        repo.CommitSubmodule("vendor", vendor.Url, secretCommit);
        var commit = repo.Edit("main.bicep", t => t + "\noutput vendored string = loadTextContent('vendor/secret.txt')\n").Commit("Use the submodule");

        var inspection = await InspectAsync(repo, commit);

        Assert.Contains(inspection.Problems, p => p.Field == "BCP091");
        Assert.DoesNotContain("a submodule's secret", inspection.Log, StringComparison.Ordinal);
        foreach (var cache in Directory.GetDirectories(Path.Combine(WorkDirectory, "repos")))
        {
            using var clone = new LibGit2Sharp.Repository(cache);
            Assert.Null(clone.Lookup(secretCommit)); // The submodule's repository was never fetched.
        }
    }

    [Fact]
    public async Task A_tree_entry_named_dot_dot_writes_nothing_outside_the_workspace()
    {
        var repo = Track(GitStack.WithSample());
        var commit = repo.CommitDotDotFolder("escaped.txt", "written beside the workspace");

        var inspection = await InspectAsync(repo, commit);

        Assert.Contains(inspection.Problems, p => p.Source == "source" && p.File == "..");
        Assert.Empty(Directory.EnumerateFiles(WorkDirectory, "escaped.txt", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_file_over_the_size_limit_fails_the_build_and_is_never_written()
    {
        var repo = Track(GitStack.WithSample());
        var commit = repo.Write("big.bin", new string('x', int.Parse(FileLimit) + 1)).Commit("One byte too many");
        var workspace = Path.Combine(WorkDirectory, "checked-out");

        await _inspections.Services.GetRequiredService<SourceRepository>().CheckoutAsync(new SourceRequest(repo.Url, commit), workspace);
        Assert.Empty(Directory.EnumerateFileSystemEntries(workspace)); // Not even the files under the limit.

        var inspection = await InspectAsync(repo, commit);
        var problem = Assert.Single(inspection.Problems);
        Assert.Equal(("source", "big.bin", "Sources:MaxFileBytes"), (problem.Source, problem.File, problem.Field));
        Assert.Contains("4,097 bytes, over the largest file a build checks out (4,096 bytes)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_over_the_total_limit_fail_the_build_and_none_is_written()
    {
        var repo = Track(GitStack.WithSample());
        for (var i = 0; i < 5; i++) repo.Write($"data/part{i}.txt", new string('x', int.Parse(FileLimit)));
        var commit = repo.Commit("Many parts");
        var workspace = Path.Combine(WorkDirectory, "checked-out");

        await _inspections.Services.GetRequiredService<SourceRepository>().CheckoutAsync(new SourceRequest(repo.Url, commit), workspace);
        Assert.Empty(Directory.EnumerateFileSystemEntries(workspace));

        var problem = Assert.Single((await InspectAsync(repo, commit)).Problems);
        Assert.Equal(("source", "Sources:MaxCheckoutBytes"), (problem.Source, problem.Field));
        Assert.StartsWith("data/part", problem.File, StringComparison.Ordinal);
        Assert.Contains("(16,384 bytes)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sample_stack_still_builds_within_the_limits()
    {
        var repo = Track(GitStack.WithSample());

        var inspection = await InspectAsync(repo, repo.Edit("main.bicep", t => t + "\n").Commit("Whitespace"));

        Assert.True(inspection.Succeeded, string.Join("\n", inspection.Problems));
    }

    /// <summary>The sample stack with one line added to its template.</summary>
    private (GitStack Repo, string Commit) Hostile(string line)
    {
        var repo = Track(GitStack.WithSample());
        return (repo, repo.Edit("main.bicep", t => t.TrimEnd('\n') + "\n" + line + "\n").Commit("Hostile change"));
    }

    /// <summary>A file beside the build workspaces: <c>../../outside/</c> from a workspace.</summary>
    private void Outside(string name, string content)
    {
        Directory.CreateDirectory(Path.Combine(WorkDirectory, "outside"));
        File.WriteAllText(Path.Combine(WorkDirectory, "outside", name), content);
    }

    private static int LastLine(GitStack repo) =>
        File.ReadAllText(Path.Combine(repo.Directory, "main.bicep")).TrimEnd('\n').Split('\n').Length;

    private Task<StackInspection> InspectAsync(GitStack repo, string commit) => _inspections.InspectAsync(repo, commit);

    private GitStack Track(GitStack repo) => _inspections.Track(repo);

    public void Dispose() => _inspections.Dispose();
}
