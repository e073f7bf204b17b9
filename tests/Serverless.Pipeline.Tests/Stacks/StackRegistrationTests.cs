using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Tests.Stacks;

public sealed class StackRegistrationTests
{
    [Fact]
    public void A_complete_registration_is_valid() =>
        Assert.Empty(SampleStack.Registration.Validate());

    [Fact]
    public void Every_problem_is_reported_by_field()
    {
        var errors = new StackRegistration("not a url", ["Dev", "ok-env"], [], 0).Validate();

        Assert.Equal(["approvalTimeoutMinutes", "productionInstances", "repository", "testEnvironments"], errors.Keys.Order());
        Assert.Contains("'Dev'", errors["testEnvironments"][0]);
    }

    [Fact]
    public void An_environment_may_not_be_both_test_and_production_nor_take_a_stage_name()
    {
        var errors = new StackRegistration("https://git.example/x.git", ["dev", "build"], ["dev"], null).Validate();

        Assert.Contains("dev", errors["environments"][0]);
        Assert.Contains("build", errors["testEnvironments"][0]);
    }

    [Fact]
    public void A_stack_in_a_mono_repo_folder_is_delivered_on_changes_to_that_folder()
    {
        var registration = new StackRegistration("https://git.example/mono.git", null, ["prod"], null, Path: "/stacks/network/");

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
        Assert.Contains("path", new StackRegistration("https://git.example/mono.git", null, ["prod"], null, Path: path).Validate().Keys);

    [Theory]
    [InlineData("abc1234", true)]
    [InlineData("ABCDEF1234567890abcdef1234567890abcdef12", true)]
    [InlineData("abc123", false)]
    [InlineData("abc1234g", false)]
    [InlineData("../../etc", false)]
    public void Commit_ids_are_7_to_40_hex_characters(string commit, bool valid) =>
        Assert.Equal(valid, CommitId.IsValid(commit));

    [Fact]
    public void A_run_id_round_trips_and_rejects_anything_else()
    {
        var id = RunId.For("sample-network", "ABCDEF1");

        Assert.Equal("sample-network.abcdef1", id.ToString());
        Assert.True(RunId.TryParse(id.ToString(), out var parsed));
        Assert.Equal(id, parsed);
        Assert.False(RunId.TryParse("sample-network", out _));
        Assert.False(RunId.TryParse("../x.abcdef1", out _));
        Assert.False(RunId.TryParse("net.ABCDEF1", out _));
    }
}
