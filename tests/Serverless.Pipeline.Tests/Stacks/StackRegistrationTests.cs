namespace Serverless.Pipeline.Tests.Stacks;

public sealed class StackRegistrationTests
{
    private const string Full = "abcdef1234567890abcdef1234567890abcdef12";

    [Fact]
    public void A_complete_registration_is_valid() =>
        Assert.Empty(SampleStack.Registration.Validate());

    [Fact]
    public void Every_problem_is_reported_by_field()
    {
        var errors = new StackRegistration("not a url",
            [new("Dev", "staging", "not-a-guid", "rg-x", "West Europe"), new("ok-env", "test", TestStacks.TestSubscription, "", "westeurope")],
            new ProductionRegistration(null, MinimumApprovals: 0, TimeoutMinutes: 0)).Validate();

        Assert.Equal([
            "environments", "environments[0].kind", "environments[0].location", "environments[0].name", "environments[0].subscription",
            "environments[1].resourceGroup", "production.approvers", "production.minimumApprovals", "production.timeoutMinutes", "repository",
        ], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("'Dev'", errors["environments[0].name"][0]);
        Assert.Contains("'staging'", errors["environments[0].kind"][0]);
        Assert.Contains("production", errors["environments"][0]);
    }

    [Fact]
    public void Environments_and_production_are_required()
    {
        var errors = new StackRegistration("https://git.example/x.git", null, null).Validate();

        Assert.Equal(["environments", "production"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_environment_name_is_used_once_and_never_a_stage_name_nor_a_shared_resource_group()
    {
        var errors = new StackRegistration("https://git.example/x.git",
            [TestStacks.Test("dev"), TestStacks.Production("dev"), TestStacks.Test("build"), TestStacks.Test("qa") with { ResourceGroup = "rg-dev" }],
            TestStacks.Protection()).Validate();

        Assert.Contains("environments[0]", errors["environments[1].name"][0]);
        Assert.Contains("build", errors["environments[2].name"][0]);
        Assert.Contains("already the target of environments[0]", errors["environments[3].resourceGroup"][0]);
    }

    [Fact]
    public void Only_a_test_environment_may_be_ephemeral_and_it_needs_no_resource_group_of_its_own()
    {
        var errors = new StackRegistration("https://git.example/x.git",
            [TestStacks.Test("dev", ephemeral: true) with { ResourceGroup = null }, TestStacks.Production("prod") with { Ephemeral = true }],
            TestStacks.Protection()).Validate();

        Assert.Equal(["environments[1].ephemeral"], errors.Keys);
    }

    [Fact]
    public void The_protection_of_production_names_approvers_and_cannot_require_more_approvals_than_it_names()
    {
        var none = TestStacks.Registration("https://git.example/x.git", protection: new ProductionRegistration(new ApproversRegistration([], [])));
        var tooMany = TestStacks.Registration("https://git.example/x.git", protection: TestStacks.Protection(minimumApprovals: 3));
        var badBranch = TestStacks.Registration("https://git.example/x.git", protection: TestStacks.Protection(branch: "refs/heads/main"));

        Assert.Equal(["production.approvers"], none.Validate().Keys);
        Assert.Equal(["production.minimumApprovals"], tooMany.Validate().Keys);
        Assert.Equal(["production.branch"], badBranch.Validate().Keys);
    }

    [Fact]
    public void Production_takes_commits_of_the_stack_branch_unless_the_protection_names_another()
    {
        var delivered = TestStacks.Registration("https://git.example/x.git", branch: "release/*").ToDefinition("net", DateTimeOffset.UtcNow);
        var named = TestStacks.Registration("https://git.example/x.git", protection: TestStacks.Protection(branch: "main")).ToDefinition("net", DateTimeOffset.UtcNow);

        Assert.Equal("release/*", delivered.Governance.Production.Branch);
        Assert.Equal("main", named.Governance.Production.Branch);
        Assert.Equal(TimeSpan.FromMinutes(StackRegistration.DefaultApprovalTimeoutMinutes), named.Governance.Production.Approval.Timeout);
    }

    [Fact]
    public void A_stack_in_a_mono_repo_folder_is_delivered_on_changes_to_that_folder()
    {
        var registration = TestStacks.Registration("https://git.example/mono.git", path: "/stacks/network/");

        var definition = registration.ToDefinition("network", DateTimeOffset.UtcNow);

        Assert.Empty(registration.Validate());
        Assert.Equal("stacks/network", definition.Path);
        Assert.Equal(["stacks/network/**"], definition.Paths);
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("stacks/../../etc")]
    [InlineData("stacks/*")]
    public void A_stack_path_must_stay_inside_the_repository(string path) =>
        Assert.Contains("path", TestStacks.Registration("https://git.example/mono.git", path: path).Validate().Keys);

    [Theory]
    [InlineData("abc1234", true, false)]
    [InlineData("ABCDEF1234567890abcdef1234567890abcdef12", true, true)]
    [InlineData("abc123", false, false)]
    [InlineData("abc1234g", false, false)]
    [InlineData("../../etc", false, false)]
    public void Commit_ids_are_7_to_40_hex_characters_and_only_40_make_a_run(string commit, bool valid, bool full)
    {
        Assert.Equal(valid, CommitId.IsValid(commit));
        Assert.Equal(full, CommitId.IsFull(commit));
    }

    [Fact]
    public void A_run_id_round_trips_is_made_of_the_full_commit_and_rejects_anything_else()
    {
        var id = RunId.For("sample-network", Full.ToUpperInvariant());

        Assert.Equal($"sample-network.{Full}", id.ToString());
        Assert.True(RunId.TryParse(id.ToString(), out var parsed));
        Assert.Equal(id, parsed);
        Assert.False(RunId.TryParse("sample-network", out _));
        Assert.False(RunId.TryParse($"../x.{Full}", out _));
        Assert.False(RunId.TryParse($"net.{Full.ToUpperInvariant()}", out _));
        Assert.False(RunId.TryParse("net.abcdef1", out _));
        Assert.Throws<ArgumentException>(() => RunId.For("net", "abcdef1"));
    }
}
