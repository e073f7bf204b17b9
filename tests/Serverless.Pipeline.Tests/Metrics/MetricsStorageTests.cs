using Azure.Data.Tables;
using Serverless.Pipeline.Metrics;
using Serverless.LoadDriver;

namespace Serverless.Pipeline.Tests.Metrics;

/// <summary>The recorder and the read path of the metrics against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class MetricsStorageTests
{
    private const string Stack = "net";
    private readonly PipelineTables _tables;
    private readonly ReleaseStore _releases;
    private readonly ChangeLedger _changes;
    private readonly IncidentStore _incidents;
    private readonly RollupStore _rollups;
    private readonly DeliveryRecorder _recorder;
    private readonly MetricsReader _reader;
    private readonly RunRecorder _runs;
    private readonly AzuriteFixture _azurite;

    public MetricsStorageTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        var stand = new MetricsStand(azurite);
        (_tables, _releases, _incidents, _rollups, _recorder, _reader) = (stand.Tables, stand.Releases, stand.Incidents, stand.Rollups, stand.Recorder, stand.Reader);
        _changes = new ChangeLedger(_tables);
        _runs = stand.RunRecorder;
    }

    private static DateTimeOffset At(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public async Task Recording_the_same_finished_run_again_counts_it_once()
    {
        var record = Run("aaaaaaa1", At(2, 10), RunStatus.Completed, committedAt: At(2, 8));
        var head = record.Input.Commit.Id;
        await _changes.RecordAsync(Stack, record.Input.RunId, head,
            [new ChangeEntry(FinishedRuns.Commit("bbbbbbb1"), At(2, 7)), new ChangeEntry(head, At(2, 8))]);

        // Once as the record activity does, then twice more as a replay or retry would.
        await _runs.RecordAsync(record);
        await _runs.RecordAsync(record);
        await _recorder.RecordRunFinishedAsync(record);

        var day = await RollupAsync(At(2, 0));
        var releases = await _releases.ReadRangeAsync(Stack, At(2, 0), At(3, 0));
        Assert.Single(releases);
        Assert.Equal(1, day.Releases);
        Assert.Equal(2, day.LeadToFirst.Count);               // two commits, counted once each
        Assert.Equal(2, day.Environments["prod-a"].Deployments + day.Environments["dev"].Deployments);
        // The run's own commit is in the changes table, linked to its run.
        var change = await (await _tables.Open("changes")).GetEntityAsync<TableEntity>(Stack, head);
        Assert.Equal(record.Input.RunId, change.Value.GetString("RunId"));
    }

    [Fact]
    public async Task A_run_that_never_reached_production_is_not_a_release_but_its_deployments_count_for_usage()
    {
        var record = Run("ccccccc1", At(4, 10), RunStatus.Rejected, committedAt: At(4, 8), production: false);

        await _runs.RecordAsync(record);

        var day = await RollupAsync(At(4, 0));
        Assert.Equal(0, day.Releases);
        Assert.Equal(1, day.Environments["dev"].Deployments);
        Assert.Null(await StoredRows.ReleaseOfRunAsync(_tables, _releases, record.Input.RunId));
    }

    [Fact]
    public async Task An_incident_linked_before_its_release_is_recorded_is_picked_up_and_two_incidents_count_once()
    {
        var record = Run("ddddddd1", At(5, 10), RunStatus.Completed, committedAt: At(5, 9));
        var first = new IncidentFact("inc-first", Stack, "prod-a", "errors", At(5, 10, 5), null, record.Input.RunId, "api");
        Assert.True(await _incidents.CreateAsync(first));
        await _recorder.LinkIncidentAsync(Stack, record.Input.RunId, first.Id);   // no release yet: nothing to mark

        await _runs.RecordAsync(record);
        var second = first with { Id = "inc-second", OpenedAt = At(5, 11) };
        await _incidents.CreateAsync(second);
        await _recorder.LinkIncidentAsync(Stack, record.Input.RunId, second.Id);
        await _recorder.LinkIncidentAsync(Stack, record.Input.RunId, second.Id);   // again: no change

        var release = await StoredRows.ReleaseOfRunAsync(_tables, _releases, record.Input.RunId);
        var day = await RollupAsync(At(5, 0));
        Assert.Equal(["inc-first", "inc-second"], release!.Incidents);
        Assert.Equal(1, day.ReleasesNeedingRemediation);
        Assert.Equal(1, day.WithIncidents);
        Assert.False(await _incidents.CreateAsync(first));                           // the same incident again: nothing new
    }

    [Fact]
    public async Task A_rollback_marks_the_release_before_it()
    {
        var good = Run("eeeeeee1", At(6, 9), RunStatus.Completed, committedAt: At(6, 8));
        var bad = Run("eeeeeee2", At(7, 9), RunStatus.Completed, committedAt: At(7, 8));
        var rollback = Run("eeeeeee3", At(7, 10), RunStatus.Completed, committedAt: At(7, 9, 50), changeType: "rollback");

        foreach (var run in new[] { good, bad, rollback }) await _runs.RecordAsync(run);
        await _runs.RecordAsync(rollback);

        Assert.Null((await StoredRows.ReleaseOfRunAsync(_tables, _releases, good.Input.RunId))!.RolledBackBy);
        Assert.Equal(rollback.Input.RunId, (await StoredRows.ReleaseOfRunAsync(_tables, _releases, bad.Input.RunId))!.RolledBackBy);
        var day = await RollupAsync(At(7, 0));
        Assert.Equal((2, 1, 1, 1), (day.Releases, day.ReleasesNeedingRemediation, day.RolledBack, day.Rollbacks));
    }

    [Fact]
    public async Task The_read_path_from_rollups_and_edges_gives_the_answer_of_the_raw_rows()
    {
        // Releases on 10..13 March at various hours; one failed; one incident; downtime on one deployment.
        var records = new List<RunRecord>
        {
            Run("fffffff1", At(10, 3), RunStatus.Completed, committedAt: At(9, 20)),
            Run("fffffff2", At(10, 20), RunStatus.Completed, committedAt: At(10, 19)),
            Run("fffffff3", At(11, 12), RunStatus.Failed, committedAt: At(11, 11)),
            Run("fffffff4", At(12, 1), RunStatus.Completed, committedAt: At(11, 23)),
            Run("fffffff5", At(13, 22), RunStatus.Completed, committedAt: At(13, 2)),
        };
        foreach (var record in records) await _runs.RecordAsync(record);
        var incident = new IncidentFact("inc-read", Stack, "prod-a", "down", At(12, 2), At(12, 2, 40), records[3].Input.RunId, "api");
        await _incidents.CreateAsync(incident);
        await _recorder.LinkIncidentAsync(Stack, incident.RunId!, incident.Id);
        await _recorder.RecordDowntimeAsync(Stack, new DowntimeFact(records[1].Input.RunId, "prod-a", "unclassified", 42, At(10, 20)));

        // From 10 March 12:00 to 13 March 12:00: whole days 11 and 12 from rollups, the edges raw.
        var window = new MetricsWindow(At(10, 12), At(13, 12));
        var stored = await _reader.ReadSummaryAsync(Stack, window);
        var raw = await _reader.ReadRawAsync(Stack, window.From, window.To);

        Assert.Equal(2, window.Plan().WholeDays);
        Assert.Equal(3, stored.Releases);                     // fffffff2, fffffff3, fffffff4
        Assert.Equal(2, stored.ReleasesNeedingRemediation);   // the failed one and the one with the incident
        Assert.Equal(raw.Releases, stored.Releases);
        Assert.Equal(raw.LeadToLast.ToString(), stored.LeadToLast.ToString());
        Assert.Equal(raw.PersonTime.ToString(), stored.PersonTime.ToString());
        Assert.Equal(42, stored.ChangeTypes["unclassified"].DowntimeSeconds);

        var definition = TestStacks.Definition(Stack, "https://example.invalid/net.git", ["dev"], ["prod-a"], At(1, 0));
        var report = await _reader.ReportAsync([definition], window, At(14, 0), overall: true);
        var metrics = report.Stacks.Single();
        Assert.Equal(3, metrics.DeploymentFrequency.Releases);
        Assert.Equal(0.6667, metrics.ChangeFailureRate.Rate);
        Assert.Equal(40, metrics.TimeToRestore.MedianMinutes);
        // Lead time to the last instance: 1 h (fffffff2), 2 h (fffffff4): nearest-rank median = 1 h.
        Assert.Equal(3600, metrics.LeadTime.ToLastInstance.MedianSeconds);
        Assert.Equal(3, report.Overall!.DeploymentFrequency.Releases);
    }

    [Fact]
    public async Task The_scale_seeding_answers_from_rollups_the_same_as_from_raw_rows()
    {
        var options = new MetricsScale.Options(Releases: 300, Changes: 1500, Days: 20, Queries: 2, End: new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));

        var report = await MetricsScale.SeedAndMeasureAsync(_azurite.Tables, "s" + Guid.NewGuid().ToString("N")[..8], options);

        Assert.Equal(300, report.Releases);
        Assert.Equal(1500, report.Changes);
        Assert.True(report.RollupsMatchRaw);
        Assert.Equal(18, report.RollupRowsRead);
        Assert.InRange(report.Metrics.DeploymentFrequency.Releases, 280, 295);
    }

    private async Task<PeriodSummary> RollupAsync(DateTimeOffset day) =>
        (await _rollups.ReadDaysAsync(Stack, MetricsWindow.DayOf(day), MetricsWindow.DayOf(day).AddDays(1))).Single().Summary;

    /// <summary>A run of stack "net" through dev and prod-a at the commit <paramref name="seed"/> names, finished at <paramref name="at"/>.</summary>
    private static RunRecord Run(string seed, DateTimeOffset at, RunStatus status, DateTimeOffset? committedAt = null, string? changeType = null, bool production = true)
    {
        var commit = FinishedRuns.Commit(seed);
        var input = new PipelineInput(RunId.For(Stack, commit).ToString(), Stack, new CommitInfo(commit), TestStacks.Governance(["dev"], ["prod-a"]), at.AddMinutes(-30));
        var prodFailed = status == RunStatus.Failed;
        var stages = new List<StageExecution>
        {
            new("build", StageKind.Build, StageStatus.Succeeded, at.AddMinutes(-30), at.AddMinutes(-30), at.AddMinutes(-29)),
            new("dev", StageKind.Test, StageStatus.Succeeded, at.AddMinutes(-29), at.AddMinutes(-29), at.AddMinutes(-28)),
            new("approval", StageKind.Approval, production ? StageStatus.Succeeded : StageStatus.Rejected, at.AddMinutes(-28), at.AddMinutes(-8), at.AddMinutes(-8)),
            production
                ? new("prod-a", StageKind.Production, prodFailed ? StageStatus.Failed : StageStatus.Succeeded, at.AddMinutes(-8), at.AddMinutes(-8), at)
                : new("prod-a", StageKind.Production, StageStatus.Skipped),
        };
        var deployments = new List<DeploymentRecord> { new("dev", StageKind.Test, "v-" + commit, at.AddMinutes(-29), at.AddMinutes(-28)) };
        if (production && !prodFailed) deployments.Add(new DeploymentRecord("prod-a", StageKind.Production, "v-" + commit, at.AddMinutes(-8), at));
        var progress = new RunProgress(status, stages, deployments, "v-" + commit, FinishedAt: at, ChangeType: changeType,
            Commit: new CommitInfo(commit, CommittedAt: committedAt));
        return new RunRecord(input, progress, at);
    }
}
