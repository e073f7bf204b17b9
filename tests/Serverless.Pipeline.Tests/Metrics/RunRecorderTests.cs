using Azure;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Pipeline.Metrics;

namespace Serverless.Pipeline.Tests.Metrics;

/// <summary>The record step: the run's record and, once it has finished, its metrics, in that one explicit place and order.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RunRecorderTests(AzuriteFixture azurite)
{
    private const string Stack = "rec";
    private static readonly DateTimeOffset At = new(2026, 5, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_run_recorded_at_every_milestone_and_again_on_replay_writes_its_metrics_once_when_it_has_finished()
    {
        var stand = new MetricsStand(azurite);
        var finished = FinishedRuns.Released(Stack, FinishedRuns.Commit("once"), At, ["prod-a", "prod-b"], committedAt: At.AddHours(-2));

        // The milestones the orchestrator records before the end: nothing of them reaches the metrics.
        foreach (var status in new[] { RunStatus.Building, RunStatus.AwaitingApproval, RunStatus.DeployingProduction })
            await stand.RunRecorder.RecordAsync(Unfinished(finished, status));
        Assert.Empty(await stand.Releases.ReadRangeAsync(Stack, At.AddDays(-1), At.AddDays(1)));
        Assert.Empty(await stand.Rollups.ReadDaysAsync(Stack, MetricsWindow.DayOf(At), MetricsWindow.DayOf(At).AddDays(1)));

        // The end, then a replayed or retried record activity.
        await stand.RunRecorder.RecordAsync(finished);
        await stand.RunRecorder.RecordAsync(finished);

        var release = Assert.Single(await stand.Releases.ReadRangeAsync(Stack, At.AddDays(-1), At.AddDays(1)));
        Assert.Equal(finished.Input.RunId, release.RunId);
        var day = Assert.Single(await stand.Rollups.ReadDaysAsync(Stack, MetricsWindow.DayOf(At), MetricsWindow.DayOf(At).AddDays(1))).Summary;
        Assert.Equal(1, day.Releases);
        Assert.Equal(1, day.Environments["prod-a"].Deployments);
        Assert.Equal(RunStatus.Completed, (await stand.Runs.GetAsync(RunId.Parse(finished.Input.RunId)))!.Status);
    }

    [Fact]
    public async Task A_run_shows_finished_only_after_its_metrics_are_written()
    {
        var stand = new MetricsStand(azurite);
        var finished = FinishedRuns.Released(Stack, FinishedRuns.Commit("ordered"), At, ["prod-a"], committedAt: At.AddHours(-1));
        var id = RunId.Parse(finished.Input.RunId);
        await stand.RunRecorder.RecordAsync(Unfinished(finished, RunStatus.DeployingProduction));

        // The metrics' storage fails (here: table names the service refuses), as a throttled or unreachable account would.
        var broken = new PipelineTables(azurite.Tables, Options.Create(new StorageOptions { NamePrefix = "no-such-" }));
        var failing = new RunRecorder(stand.Runs, Recorder(broken), RunObservers.None);
        await Assert.ThrowsAnyAsync<RequestFailedException>(() => failing.RecordAsync(finished));

        // The activity failed and will be retried; until then the run still shows where it was.
        Assert.Equal(RunStatus.DeployingProduction, (await stand.Runs.GetAsync(id))!.Status);
        Assert.Equal(RunStatus.DeployingProduction, Assert.Single(await stand.Runs.ListAsync(Stack, status: null, take: 10)).Status);

        // The retry succeeds: now the run shows finished, and whoever sees that finds its release.
        await stand.RunRecorder.RecordAsync(finished);
        Assert.Equal(RunStatus.Completed, (await stand.Runs.GetAsync(id))!.Status);
        Assert.NotNull(await StoredRows.ReleaseOfRunAsync(stand.Tables, stand.Releases, finished.Input.RunId));
    }

    [Fact]
    public async Task The_lead_time_of_a_run_counts_from_the_commit_time_git_gives_not_from_the_hint_of_the_start_request()
    {
        var stand = new MetricsStand(azurite);
        var gitTime = At.AddHours(-3);
        var run = FinishedRuns.Released(Stack, FinishedRuns.Commit("hinted"), At, ["prod-a"], committedAt: gitTime);
        // The caller claimed the commit was made a day earlier: a display hint until the build reads git.
        run = run with { Input = run.Input with { Commit = run.Input.Commit with { CommittedAt = At.AddDays(-1) } } };

        await stand.RunRecorder.RecordAsync(run);

        var release = (await StoredRows.ReleaseOfRunAsync(stand.Tables, stand.Releases, run.Input.RunId))!;
        Assert.Equal(1, release.LeadToLast.Count);
        Assert.Equal(TimeSpan.FromHours(3).TotalSeconds, release.LeadToLast.Median);
        var (change, runId) = await new ChangeLedger(stand.Tables).FindAsync(Stack, run.Input.Commit.Id);
        Assert.Equal(gitTime, change!.CommittedAt);
        Assert.Equal(run.Input.RunId, runId);
    }

    [Fact]
    public async Task Observers_hear_of_a_record_after_it_is_written_and_one_that_fails_neither_fails_the_record_nor_stops_the_next()
    {
        var stand = new MetricsStand(azurite);
        var finished = FinishedRuns.Released(Stack, FinishedRuns.Commit("observed"), At, ["prod-a"], committedAt: At.AddHours(-1));
        var seen = new SeenStatus(stand.Runs);
        var observed = new RunRecorder(stand.Runs, Recorder(stand.Tables),
            new RunObservers([new FailingObserver(), seen], NullLogger<RunObservers>.Instance));

        await observed.RecordAsync(finished);

        Assert.Equal([RunStatus.Completed], seen.Statuses);
        Assert.Equal([RunStatus.Completed], seen.StoredWhenTold);
    }

    private sealed class FailingObserver : IRunObserver
    {
        public Task RunStartedAsync(PipelineInput run, CancellationToken cancellation) => throw new InvalidOperationException("observer down");
        public Task RunRecordedAsync(RunRecord record, CancellationToken cancellation) => throw new InvalidOperationException("observer down");
    }

    /// <summary>Notes each record it hears of, and what the run's row said at that moment.</summary>
    private sealed class SeenStatus(RunStore runs) : IRunObserver
    {
        public List<RunStatus> Statuses { get; } = [];
        public List<RunStatus?> StoredWhenTold { get; } = [];
        public Task RunStartedAsync(PipelineInput run, CancellationToken cancellation) => Task.CompletedTask;
        public async Task RunRecordedAsync(RunRecord record, CancellationToken cancellation)
        {
            Statuses.Add(record.Progress.Status);
            StoredWhenTold.Add((await runs.GetAsync(RunId.Parse(record.Input.RunId), cancellation))?.Status);
        }
    }

    /// <summary>The same run as it stood earlier, before it finished.</summary>
    private static RunRecord Unfinished(RunRecord finished, RunStatus status) => finished with
    {
        Progress = finished.Progress with { Status = status, FinishedAt = null },
        RecordedAt = finished.RecordedAt.AddMinutes(-10),
    };

    private static DeliveryRecorder Recorder(PipelineTables tables)
    {
        var releases = new ReleaseStore(tables);
        var deployments = new DeploymentLog(tables);
        var downtime = new DowntimeLedger(tables);
        return new DeliveryRecorder(releases, new ChangeLedger(tables), new IncidentStore(tables), deployments, downtime,
            new RollupStore(tables, releases, deployments, downtime), NullLogger<DeliveryRecorder>.Instance);
    }
}
