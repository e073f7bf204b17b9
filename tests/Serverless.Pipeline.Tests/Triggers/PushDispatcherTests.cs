using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Pipeline.Tests.Workflow;
using Serverless.Pipeline.Triggers;

namespace Serverless.Pipeline.Tests.Triggers;

/// <summary>
/// From pushes to runs, against Azurite and the in-memory engine (with a stand-in orchestrator under the real name):
/// matching stacks by repository, branch and paths; one run per (stack, head commit); a row per change; ignored events.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PushDispatcherTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 8, 30, 0, TimeSpan.Zero);
    private readonly PipelineTables _tables = new(azurite.Tables, AzuriteFixture.IsolatedOptions());
    private DurableTaskTestHost _engine = null!;
    private StackStore Stacks => new(_tables);
    private Serverless.Pipeline.Metrics.ChangeLedger Changes => new(_tables);
    private IgnoredEventStore Ignored => new(_tables);

    public async Task InitializeAsync() =>
        _engine = await InMemoryEngine.StartAsync(tasks => tasks.AddOrchestratorFunc<PipelineInput, string>(PipelineNames.Orchestrator, (_, input) => input.RunId));

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private DurableTaskClient Client => _engine.Client;

    [Fact]
    public async Task A_push_starts_one_run_per_concerned_stack_and_records_each_of_its_changes()
    {
        await RegisterAsync("network", "https://GitHub.com/contoso/platform-network.git/", paths: ["stacks/network/**"]);
        await RegisterAsync("network-docs", "https://github.com/Contoso/platform-network");
        await RegisterAsync("network-dns", Payloads.Repository, paths: ["stacks/dns/**"]);
        await RegisterAsync("network-next", Payloads.Repository, branch: "next");
        var push = GitHubPush();

        var outcome = Assert.Single(await Dispatcher().DispatchAsync([new TriggerEvent("github", "delivery-1", "push", push)], Client));

        Assert.Equal(EventOutcomeKind.Started, outcome.Outcome);
        Assert.Equal(new[] { $"network.{Payloads.HeadCommit}", $"network-docs.{Payloads.HeadCommit}" }.Order(), outcome.Runs.Select(r => r.Id).Order());
        Assert.All(outcome.Runs, r => Assert.False(r.AlreadyStarted));
        foreach (var run in outcome.Runs) Assert.NotNull(await Client.GetInstanceAsync(run.Id));

        // The network stack's paths saw two of the three commits; the stack of every path saw all three.
        var network = await StoredRows.PartitionAsync(_tables.Open("changes"), "network");
        Assert.Equal([Payloads.FirstCommit, Payloads.SecondCommit], network.Select(r => r.RowKey).Order());
        Assert.Equal(3, (await StoredRows.PartitionAsync(_tables.Open("changes"), "network-docs")).Count);
        Assert.Empty(await StoredRows.PartitionAsync(_tables.Open("changes"), "network-dns"));
        var first = network.Single(r => r.RowKey == Payloads.FirstCommit);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 2, 11, TimeSpan.Zero), first.GetDateTimeOffset("CommittedAt"));
        Assert.Equal(("Ann Lee", Payloads.HeadCommit, $"network.{Payloads.HeadCommit}"), (first.GetString("Author"), first.GetString("HeadCommit"), first.GetString("RunId")));
        Assert.Equal(push.PushedAt, first.GetDateTimeOffset("PushedAt"));
        Assert.StartsWith("Add a subnet", first.GetString("Message"), StringComparison.Ordinal);

        // The run delivers the head commit with its own details.
        var input = (await Client.GetInstanceAsync($"network.{Payloads.HeadCommit}", getInputsAndOutputs: true))!.ReadInputAs<PipelineInput>()!;
        Assert.Equal((Payloads.HeadCommit, "Document the subnet layout", "https://GitHub.com/contoso/platform-network.git/"), (input.Commit.Id, input.Commit.Message, input.Commit.Repository));
    }

    [Fact]
    public async Task A_redelivered_push_starts_nothing_more_and_says_so()
    {
        await RegisterAsync("redelivered", "https://github.com/contoso/platform-network");
        var e = new TriggerEvent("eventgrid", "event-1", RepositoryPushData.EventType, GitHubPush());

        var first = await Dispatcher().DispatchAsync([e, e with { Id = "event-1-copy" }], Client);
        var again = await Dispatcher().DispatchAsync([e], Client);

        // Two events with the same push in one delivery: one starts the run, the other finds it.
        Assert.Equal([EventOutcomeKind.Started, EventOutcomeKind.AlreadyStarted], first.Select(o => o.Outcome).Order());
        Assert.Equal(EventOutcomeKind.AlreadyStarted, Assert.Single(again).Outcome);
        Assert.True(Assert.Single(again[0].Runs).AlreadyStarted);
        Assert.Equal(3, (await StoredRows.PartitionAsync(_tables.Open("changes"), "redelivered")).Count);
    }

    [Theory]
    [InlineData("https://github.com/contoso/unknown", "refs/heads/main", "No stack is registered for repository https://github.com/contoso/unknown")]
    [InlineData("https://github.com/contoso/ignored", "refs/heads/feature/x", "delivers branch 'feature/x'")]
    [InlineData("https://github.com/contoso/ignored", "refs/tags/v1.0.0", "is not a branch")]
    [InlineData("https://github.com/contoso/ignored", "refs/heads/main", "changed no file under the paths of ignored-paths (infra/**)")]
    public async Task A_push_that_concerns_no_stack_is_recorded_as_ignored(string repository, string gitRef, string reason)
    {
        await RegisterAsync("ignored-paths", "https://github.com/contoso/ignored", paths: ["infra/**"]);
        var push = GitHubPush() with { Repository = repository, Ref = gitRef };
        var id = Guid.NewGuid().ToString();

        var outcome = Assert.Single(await Dispatcher().DispatchAsync([new TriggerEvent("eventgrid", id, RepositoryPushData.EventType, push)], Client));

        Assert.Equal(EventOutcomeKind.Ignored, outcome.Outcome);
        Assert.Contains(reason, outcome.Reason, StringComparison.Ordinal);
        Assert.Empty(outcome.Runs);
        var row = Assert.Single(await StoredRows.PartitionAsync(_tables.Open("ignoredevents"), IgnoredEventStore.Partition(DateTimeOffset.UtcNow)), r => r.GetString("EventId") == id);
        Assert.Equal((outcome.Reason, gitRef, Payloads.HeadCommit), (row.GetString("Reason"), row.GetString("Ref"), row.GetString("After")));
        Assert.Null(await Client.GetInstanceAsync($"ignored-paths.{Payloads.HeadCommit}"));
    }

    [Fact]
    public async Task A_stack_moved_to_another_repository_is_found_only_under_the_new_one()
    {
        await RegisterAsync("moved", "https://github.com/contoso/old-home");
        await RegisterAsync("moved", "https://github.com/contoso/new-home.git");

        Assert.Empty(await Stacks.ListByRepositoryAsync("https://github.com/contoso/old-home"));
        Assert.Equal("moved", Assert.Single(await Stacks.ListByRepositoryAsync("git@github.com:contoso/new-home")).Name);
        var index = await _tables.Open("stacksbyrepo");
        Assert.Single(index.Query<TableEntity>(e => e.RowKey == "moved"));
    }

    private PushDispatcher Dispatcher() => new(Stacks, Changes, Ignored,
        new RunStarter(TimeProvider.System, RunObservers.None, NullLogger<RunStarter>.Instance), new RunStartGate(), TimeProvider.System, NullLogger<PushDispatcher>.Instance);

    private async Task RegisterAsync(string name, string repository, string? branch = null, List<string>? paths = null)
    {
        var registration = TestStacks.Registration(repository, branch: branch, paths: paths);
        Assert.Empty(registration.Validate());
        await Stacks.SaveAsync(registration.ToDefinition(name, At));
    }

    private static RepositoryPush GitHubPush()
    {
        var errors = new Dictionary<string, string[]>();
        var push = GitHubWebhookBody.ReadPush(Payloads.Read("github-push.json"), At, errors);
        Assert.Empty(errors);
        return push!;
    }
}
