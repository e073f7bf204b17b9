using Serverless.Pipeline.Metrics;

namespace Serverless.Pipeline.Tests.Metrics;

/// <summary>
/// A rollback of one environment (a partial redelivery) is a remediation, not a release to every instance: it has
/// no lead time and no first-to-last lag, it is still a release (deployment frequency, the change failure rate's
/// denominator), and it still marks the release it remediates as a change failure.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PartialRollbackTests(AzuriteFixture azurite)
{
    private const string Stack = "net";
    private static readonly string[] Production = ["prod-a", "prod-b", "prod-c"];
    private static DateTimeOffset At(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, TimeSpan.Zero);
    private static readonly MetricsWindow Week = new(At(2, 0), At(9, 0));

    // Wednesday 4 March, one stack with three production instances:
    //   G  good release, commit at 08:00; instances at 09:58, 09:59, 10:00: lag 120 s, lead to last 7200 s.
    //   B  bad release, commit at 13:00; instances at 13:58, 13:59, 14:00: lag 120 s, lead to last 3600 s.
    //   P  rollback of prod-a only to G's artifact, at 15:00: one instance, first = last. Not a release to every
    //      instance: no lag (it is not a lag of 0), no lead time. It marks B as rolled back.
    private static readonly RunRecord Good = FinishedRuns.Released(Stack, "aaaaaaa111111111111111111111111111111111", At(4, 10), Production, committedAt: At(4, 8));
    private static readonly RunRecord Bad = FinishedRuns.Released(Stack, "bbbbbbb111111111111111111111111111111111", At(4, 14), Production, committedAt: At(4, 13));
    private static readonly RunRecord Partial = FinishedRuns.Released(Stack, "aaaaaaa111111111111111111111111111111111", At(4, 15), ["prod-a"],
        committedAt: At(4, 8), changeType: "rollback", rollback: new RollbackOrder("v-aaaaaaa111111111111111111111111111111111", Bad.Input.RunId, Good.Input.RunId, "prod-a"),
        registered: Production, label: "rollback-20260304144000");

    [Fact]
    public void A_rollback_of_one_environment_has_no_lag_and_no_lead_time()
    {
        var release = FinishedRuns.ReleaseOf(Partial);

        Assert.True(release.Succeeded);
        Assert.True(release.IsRollback);
        Assert.Equal(1, release.InstanceCount);
        Assert.Null(release.LagSeconds);                  // not 0: it never reached prod-b and prod-c
        Assert.Equal(0, release.LeadToLast.Count);
    }

    [Fact]
    public void A_partial_rollback_stays_out_of_lead_time_and_lag_but_counts_as_a_release_and_marks_what_it_remediates()
    {
        var bad = FinishedRuns.ReleaseOf(Bad) with { RolledBackBy = Partial.Input.RunId };
        var summary = DeliverySummaries.Summarize(Week, [FinishedRuns.ReleaseOf(Good), bad, FinishedRuns.ReleaseOf(Partial)]);
        var lead = DeliveryMetricsCalculator.LeadTime(summary);

        // Lag of G and B only: 120, 120.
        Assert.Equal(new DurationStats(2, 120, 120, 120, true), lead.FirstToLastLag);
        // Lead time to the last instance: 3600 (B), 7200 (G); median rank 1 → 3600.
        Assert.Equal(new DurationStats(2, 3600, 7200, 5400, true), lead.ToLastInstance);
        Assert.Equal(3, DeliveryMetricsCalculator.Frequency(summary, Week).Releases);
        Assert.Equal(new ChangeFailureRateMetric(3, 1, 0.3333, 0, 1, 0, "low"), DeliveryMetricsCalculator.ChangeFailures(summary));
    }

    [Fact]
    public async Task Recorded_a_partial_rollback_marks_the_release_before_it_and_the_rollup_keeps_it_out_of_the_lag()
    {
        var stand = new MetricsStand(azurite);
        foreach (var run in new[] { Good, Bad, Partial }) await stand.Recorder.RecordRunFinishedAsync(run);

        var stored = (await StoredRows.ReleaseOfRunAsync(stand.Tables, stand.Releases, Partial.Input.RunId))!;
        Assert.Equal(Partial.Input.RunId, (await StoredRows.ReleaseOfRunAsync(stand.Tables, stand.Releases, Bad.Input.RunId))!.RolledBackBy);
        Assert.Null(stored.LagSeconds);                   // read back from its row

        // 4 March from its rollup (the window starts at midnight), the morning of 5 March raw.
        var window = new MetricsWindow(At(4, 0), At(5, 6));
        var (report, raw) = await stand.BothWaysAsync([MetricsStand.Stack(Stack, Production)], window, At(6, 0));
        var metrics = report.Stacks.Single();
        Assert.Equal(1, window.Plan().WholeDays);
        Assert.Equal(new DurationStats(2, 120, 120, 120, true), metrics.LeadTime.FirstToLastLag);
        Assert.Equal(2, metrics.LeadTime.ToLastInstance.Count);
        Assert.Equal((3, 1, 1), (metrics.ChangeFailureRate.Releases, metrics.ChangeFailureRate.ReleasesNeedingRemediation, metrics.ChangeFailureRate.RolledBack));
        Assert.Equal(MetricsStand.Json(raw), MetricsStand.Json(report));
    }
}
