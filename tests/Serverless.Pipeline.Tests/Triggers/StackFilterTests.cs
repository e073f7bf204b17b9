using Serverless.Pipeline.Triggers;

namespace Serverless.Pipeline.Tests.Triggers;

public sealed class StackFilterTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("main", "main", true)]
    [InlineData("main", "Main", false)]
    [InlineData("main", "maintenance", false)]
    [InlineData("release/*", "release/2026.03", true)]
    [InlineData("release/*", "release/2026/03", false)]
    [InlineData("release/**", "release/2026/03", true)]
    [InlineData("env-?", "env-a", true)]
    public void A_stack_delivers_its_branch_by_name_or_glob(string stackBranch, string pushed, bool delivers) =>
        Assert.Equal(delivers, StackFilter.DeliversBranch(Stack(branch: stackBranch), pushed));

    [Fact]
    public void Only_the_commits_that_touch_the_stacks_paths_are_its_changes()
    {
        var push = Push(
            Commit("aaaaaaa", "stacks/network/main.bicep"),
            Commit("bbbbbbb", "stacks/data/main.bicep"),
            Commit("ccccccc", "README.md", "stacks/network/parameters/prod.json"));

        Assert.Equal(["aaaaaaa", "ccccccc"], StackFilter.ChangesFor(Stack(paths: ["stacks/network/**"]), push)!.Select(c => c.Id));
        Assert.Equal(["bbbbbbb"], StackFilter.ChangesFor(Stack(paths: ["stacks/data/*.bicep"]), push)!.Select(c => c.Id));
        Assert.Equal(3, StackFilter.ChangesFor(Stack(), push)!.Count);
        Assert.Null(StackFilter.ChangesFor(Stack(paths: ["stacks/dns/**", "shared/*.bicep"]), push));
    }

    [Fact]
    public void Globs_are_anchored_at_the_repository_root_and_case_sensitive()
    {
        var push = Push(Commit("aaaaaaa", "modules/stacks/network/main.bicep", "Stacks/Network/main.bicep"));

        Assert.Null(StackFilter.ChangesFor(Stack(paths: ["stacks/network/**"]), push));
        Assert.NotNull(StackFilter.ChangesFor(Stack(paths: ["**/network/*.bicep"]), push));
    }

    [Fact]
    public void A_change_with_unknown_paths_or_a_push_without_commits_concerns_every_stack()
    {
        var unknown = Push(new PushedCommit("aaaaaaa", At, "m", "ann", Paths: null), Commit("bbbbbbb", "docs/x.md"));
        var empty = Push();

        Assert.Equal(["aaaaaaa"], StackFilter.ChangesFor(Stack(paths: ["stacks/network/**"]), unknown)!.Select(c => c.Id));
        Assert.Empty(StackFilter.ChangesFor(Stack(paths: ["stacks/network/**"]), empty)!);
    }

    [Fact]
    public void A_commit_that_changed_no_file_is_a_change_only_of_stacks_that_take_every_path()
    {
        var push = Push(Commit("aaaaaaa"));

        Assert.Single(StackFilter.ChangesFor(Stack(), push)!);
        Assert.Null(StackFilter.ChangesFor(Stack(paths: ["stacks/**"]), push));
    }

    [Fact]
    public void Registration_validates_branch_and_path_globs_and_defaults_to_main_and_every_path()
    {
        var valid = TestStacks.Registration("https://github.com/contoso/net", branch: "release/*", paths: ["stacks/net/**", "shared/*.bicep"]);
        var defaults = TestStacks.Registration("https://github.com/contoso/net");
        var invalid = TestStacks.Registration("https://github.com/contoso/net", branch: "refs/heads/main", paths: ["/abs/**", "a/b**/c", "ok/**"]);

        Assert.Empty(valid.Validate());
        Assert.Equal("release/*", valid.ToDefinition("net", At).Branch);
        Assert.Equal(["stacks/net/**", "shared/*.bicep"], valid.ToDefinition("net", At).Paths);
        Assert.Equal("main", defaults.ToDefinition("net", At).Branch);
        Assert.Equal(["**"], defaults.ToDefinition("net", At).Paths);
        var errors = invalid.Validate();
        Assert.Contains("'main'", errors["branch"][0]);
        Assert.Equal(2, errors["paths"].Length);
        Assert.Contains("paths", TestStacks.Registration("https://github.com/contoso/net", paths: []).Validate().Keys);
        Assert.Contains("branch", TestStacks.Registration("https://github.com/contoso/net", branch: " ").Validate().Keys);
    }

    private static StackDefinition Stack(string branch = "main", IReadOnlyList<string>? paths = null) =>
        TestStacks.Definition("net", "https://github.com/contoso/net", at: At) with { Branch = branch, Paths = paths ?? StackDefinition.AllPaths };

    private static PushedCommit Commit(string id, params string[] paths) => new(id, At, "change", "ann", paths);

    private static RepositoryPush Push(params PushedCommit[] commits) =>
        new("https://github.com/contoso/net", "refs/heads/main", null, commits.LastOrDefault()?.Id ?? "ddddddd", At, "ann", commits, commits.LastOrDefault());
}
