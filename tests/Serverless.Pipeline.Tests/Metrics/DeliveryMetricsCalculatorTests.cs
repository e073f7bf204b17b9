using Serverless.Pipeline.Deploy;
using Serverless.Pipeline.Metrics;

namespace Serverless.Pipeline.Tests.Metrics;

/// <summary>
/// The calculators against a fixture computed by hand (the numbers in the comments), including the pitfalls:
/// a release with two incidents counts once, a commit made after its release is not counted, the window's
/// bounds (from inclusive, to exclusive), and nearest-rank percentiles on small samples.
/// The same fixture is worked through in docs/metrics.md.
/// </summary>
public sealed class DeliveryMetricsCalculatorTests
{
    private const string Stack = "net";
    private static readonly DateTimeOffset Mar1 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static DateTimeOffset At(int day, int hour, int minute = 0, int second = 0) => new(2026, 3, day, hour, minute, second, TimeSpan.Zero);

    // The window: Monday 2 March 00:00 (inclusive) to Monday 9 March 00:00 (exclusive): 7 days.
    private static readonly MetricsWindow Week = new(At(2, 0), At(9, 0));
    private static readonly DateTimeOffset Now = At(10, 0);

    public static IReadOnlyList<Release> Releases { get; } =
    [
        // Before the window by one second: not counted.
        Release.Create(Stack, "net.r0", "r0", "network", At(1, 23, 59, 59), true, At(1, 23, 50), At(1, 23, 59, 59), 3, 0, 60,
            [new CommitFact("c0", At(1, 20))]),
        // R1: c1 made a day before; c2 two hours before. First instance 09:50, last 10:00: lag 600 s.
        //   c1: to first 23h50m = 85800 s, to last 24h = 86400 s;  c2: to first 1h50m = 6600 s, to last 2h = 7200 s.
        Release.Create(Stack, "net.r1", "r1", "network", At(2, 10), true, At(2, 9, 50), At(2, 10), 3, 0, 1800,
            [new CommitFact("c1", At(1, 10)), new CommitFact("c2", At(2, 8))]),
        // R2: c3 at 11:00 (first 11:40 → 2400 s, last 12:00 → 3600 s); c4 at 12:30 is after the release: excluded.
        //   Two incidents are linked to R2: it counts once as a failure. Lag 1200 s.
        Release.Create(Stack, "net.r2", "r2", null, At(3, 12), true, At(3, 11, 40), At(3, 12), 3, 0, 600,
            [new CommitFact("c3", At(3, 11)), new CommitFact("c4", At(3, 12, 30))], incidentIds: ["i1", "i2"]),
        // R3: one of three instances failed: a failed release, needing remediation; its commit has no lead time.
        Release.Create(Stack, "net.r3", "r3", "network", At(5, 15), false, At(5, 14, 50), At(5, 14, 55), 2, 1, 300,
            [new CommitFact("c5", At(5, 9))]),
        // R4: one second before the window ends: counted. c6 at 20:00 → 3h59m59s = 14399 s to first and last.
        Release.Create(Stack, "net.r4", "r4", "policy", At(8, 23, 59, 59), true, At(8, 23, 59, 59), At(8, 23, 59, 59), 1, 0, 0,
            [new CommitFact("c6", At(8, 20))]),
        // Exactly at the window's end: belongs to the next window.
        Release.Create(Stack, "net.r5", "r5", "network", At(9, 0), true, At(8, 23, 59), At(9, 0), 3, 0, 60,
            [new CommitFact("c7", At(8, 22))]),
    ];

    public static IReadOnlyList<IncidentFact> Incidents { get; } =
    [
        new("i1", Stack, "prod-a", "latency", At(3, 13), At(3, 13, 45), "net.r2", "api"),      // 45 min
        new("i2", Stack, "prod-b", "errors", At(3, 14), At(3, 16, 30), "net.r2", "api"),       // 150 min
        new("i3", Stack, "prod-a", "disk", At(6, 9), At(6, 9, 10), null, "api"),                // 10 min, linked to nothing
        new("i4", Stack, "prod-a", "still open", At(7, 9), null, null, "api"),                  // open: not in the median
        new("i5", Stack, "prod-a", "next window", At(9, 0), At(9, 1), null, "api"),             // opened at `to`: not counted
        new("i0", Stack, "prod-a", "last window", At(1, 23, 59, 59), At(2, 3), null, "api"),    // opened before `from`: not counted
    ];

    private static readonly IReadOnlyList<DowntimeFact> Downtime =
    [
        new("net.r1", "prod-a", "network", 30, At(2, 9, 50)),
        new("net.r1", "prod-b", "network", 0, At(2, 9, 55)),
        new("net.r2", "prod-a", "", 12, At(3, 11, 40)),
    ];

    private static readonly IReadOnlyList<DeploymentFact> Deployments =
    [
        new("net.r0", "dev", StageKind.Test, "v0", Mar1, Mar1.AddMinutes(1)),
        new("net.r1", "dev", StageKind.Test, "v1", At(2, 8, 30), At(2, 8, 31)),
        new("net.r1", "prod-a", StageKind.Production, "v1", At(2, 9, 49), At(2, 9, 50)),
        new("net.r2", "dev", StageKind.Test, "v2", At(3, 11, 10), At(3, 11, 11)),
        new("net.r2", "prod-a", StageKind.Production, "v2", At(3, 11, 39), At(3, 11, 40)),
    ];

    private static StackMetrics Compute()
    {
        var summary = DeliverySummaries.Summarize(Week, Releases, Deployments, Downtime);
        var environments = new List<EnvironmentState>
        {
            new("dev", "v9", "net.r9", At(8, 12)),
            new("prod-a", "v4", "net.r4", At(8, 23, 59, 59)),
            new("prod-b", "v2", "net.r2", At(3, 12)),
            new("prod-c", "v4", "net.r4", At(8, 23, 59, 59)),
        };
        var input = new StackMetricsInput(Stack, summary, Incidents, environments, ["prod-a", "prod-b", "prod-c"], ["dev", "staging"]);
        return DeliveryMetricsCalculator.Compute(input, Week, Now);
    }

    [Fact]
    public void Deployment_frequency_counts_the_releases_inside_the_window()
    {
        var frequency = Compute().DeploymentFrequency;

        Assert.Equal(4, frequency.Releases);                // R1, R2, R3, R4; not R0 (before), not R5 (at `to`)
        Assert.Equal(3, frequency.SucceededReleases);
        Assert.Equal(4, frequency.DaysWithReleases);        // 2, 3, 5 and 8 March
        Assert.Equal(0.5714, frequency.PerDay);             // 4 / 7
        Assert.Equal(4, frequency.PerWeek);
        Assert.Equal("high", frequency.Level);              // between once a week and once a day
    }

    [Fact]
    public void Lead_time_is_per_commit_to_the_first_and_the_last_instance()
    {
        var lead = Compute().LeadTime;

        Assert.Equal(4, lead.Commits);                      // c1, c2, c3, c6: c5's release failed, c4 came after its release
        Assert.Equal(1, lead.CommitsExcluded);              // c4
        // To first: 2400, 6600, 14399, 85800. Median: rank ⌈0.5·4⌉ = 2 → 6600; p90: rank ⌈3.6⌉ = 4 → 85800.
        Assert.Equal(new DurationStats(4, 6600, 85800, 27299.75, true), lead.ToFirstInstance);
        // To last: 3600, 7200, 14399, 86400.
        Assert.Equal(new DurationStats(4, 7200, 86400, 27899.75, true), lead.ToLastInstance);
        // Lag per succeeded release: 0 (R4), 600 (R1), 1200 (R2). Median rank 2 → 600, p90 rank ⌈2.7⌉ = 3 → 1200.
        Assert.Equal(new DurationStats(3, 600, 1200, 600, true), lead.FirstToLastLag);
        Assert.Equal("elite", lead.Level);                  // median to the last instance: 2 hours
    }

    [Fact]
    public void Change_failure_rate_counts_each_release_once()
    {
        var failures = Compute().ChangeFailureRate;

        Assert.Equal(4, failures.Releases);
        Assert.Equal(2, failures.ReleasesNeedingRemediation);  // R2 (two incidents, once) and R3 (failed)
        Assert.Equal(0.5, failures.Rate);
        Assert.Equal(1, failures.FailedDeployments);
        Assert.Equal(1, failures.WithIncidents);
        Assert.Equal(0, failures.RolledBack);
        Assert.Equal("low", failures.Level);
    }

    [Fact]
    public void Time_to_restore_is_the_median_in_minutes_of_incidents_opened_in_the_window()
    {
        var restore = Compute().TimeToRestore;

        Assert.Equal(4, restore.Incidents);                 // i1, i2, i3, i4
        Assert.Equal(3, restore.Resolved);
        Assert.Equal(1, restore.Open);
        // 10, 45, 150 minutes: median rank 2 → 45; p90 rank 3 → 150; mean 68.33.
        Assert.Equal(45, restore.MedianMinutes);
        Assert.Equal(150, restore.P90Minutes);
        Assert.Equal(68.33, restore.MeanMinutes);
        Assert.Equal("elite", restore.Level);               // under an hour
    }

    [Fact]
    public void The_performance_levels_summarise_the_four_keys()
    {
        var performance = Compute().Performance;

        Assert.Equal(("high", "elite", "low", "elite"),
            (performance.DeploymentFrequency, performance.LeadTime, performance.ChangeFailureRate, performance.TimeToRestore));
    }

    [Fact]
    public void Person_time_is_the_approval_wait_of_each_release()
    {
        var person = Compute().PersonTime;

        // 0, 300, 600, 1800 seconds: 2700 s = 0.75 h in all; median rank 2 → 300.
        Assert.Equal(4, person.Changes);
        Assert.Equal(0.75, person.TotalHours);
        Assert.Equal(300, person.PerChange.MedianSeconds);
        Assert.Equal(1800, person.PerChange.P90Seconds);
    }

    [Fact]
    public void Downtime_is_reported_per_change_type()
    {
        var downtime = Compute().Downtime.ToDictionary(d => d.ChangeType);

        Assert.Equal(["network", "policy", "unclassified"], downtime.Keys.Order());
        // network: R1 (3 instances) and R3 (2 instances that succeeded and 1 that failed: a failed deployment is still a
        // deployment); two measured deployments, one with 30 s.
        Assert.Equal(new DowntimeMetric("network", 2, 6, 2, 1, 30, 15), downtime["network"]);
        Assert.Equal(new DowntimeMetric("unclassified", 1, 3, 1, 1, 12, 12), downtime["unclassified"]);
        Assert.Equal(new DowntimeMetric("policy", 1, 1, 0, 0, 0, null), downtime["policy"]);
    }

    [Fact]
    public void Environment_usage_counts_deployments_in_the_window_and_days_since_last_use()
    {
        var usage = Compute().EnvironmentUsage.ToDictionary(u => u.Environment);

        Assert.Equal(new EnvironmentUsageMetric("dev", "test", 2, At(8, 12), 1.5), usage["dev"]);  // r0's deployment was before the window
        Assert.Equal(new EnvironmentUsageMetric("staging", "test", 0, null, null), usage["staging"]);
        Assert.Equal(new EnvironmentUsageMetric("prod-a", "production", 2, At(8, 23, 59, 59), 1), usage["prod-a"]);
        Assert.Equal(new EnvironmentUsageMetric("prod-b", "production", 0, At(3, 12), 6.5), usage["prod-b"]);
    }

    [Fact]
    public void Versions_across_the_estate_show_drift_between_production_instances()
    {
        var versions = Compute().Versions!;

        Assert.Equal(2, versions.ProductionVersions);       // v4 on prod-a and prod-c, v2 on prod-b
        Assert.Equal(["v4", "v2", "v9"], versions.Versions.Select(v => v.Version));
        Assert.Equal(["prod-a", "prod-c"], versions.Versions[0].Environments);
    }

    [Fact]
    public void A_rollback_marks_the_release_it_undoes_and_is_itself_a_release()
    {
        var bad = Release.Create(Stack, "net.b1", "b1", "network", At(4, 10), true, At(4, 9), At(4, 10), 3, 0, 60, [], rolledBackBy: "net.b2");
        var rollback = Release.Create(Stack, "net.b2", "b2", "rollback", At(4, 11), true, At(4, 10, 50), At(4, 11), 3, 0, 60, []);

        var failures = DeliveryMetricsCalculator.ChangeFailures(DeliverySummaries.Summarize(Week, [bad, rollback]));

        Assert.True(rollback.IsRollback);
        Assert.Equal(new ChangeFailureRateMetric(2, 1, 0.5, 0, 1, 0, "low"), failures);
    }

    [Fact]
    public void Empty_windows_have_no_rates_and_no_levels_except_a_low_frequency()
    {
        var input = new StackMetricsInput(Stack, new PeriodSummary(), [], [], [], []);

        var metrics = DeliveryMetricsCalculator.Compute(input, Week, Now);

        Assert.Equal("low", metrics.Performance.DeploymentFrequency);
        Assert.Null(metrics.Performance.LeadTime);
        Assert.Null(metrics.ChangeFailureRate.Rate);
        Assert.Null(metrics.Performance.ChangeFailureRate);
        Assert.Null(metrics.TimeToRestore.MedianMinutes);
    }

    [Fact]
    public void Summaries_of_days_merge_into_the_summary_of_the_window()
    {
        var byDay = Releases.GroupBy(r => MetricsWindow.DayOf(r.ReleasedAt))
            .Select(g => DeliverySummaries.Summarize(new MetricsWindow(MetricsWindow.StartOf(g.Key), MetricsWindow.StartOf(g.Key.AddDays(1))), g));

        var merged = PeriodSummary.MergeAll(byDay);
        var whole = DeliverySummaries.Summarize(new MetricsWindow(Mar1, At(10, 0)), Releases);

        Assert.Equal(whole.Releases, merged.Releases);
        Assert.Equal(whole.LeadToLast.ToString(), merged.LeadToLast.ToString());
        Assert.Equal(whole.DaysWithReleases, merged.DaysWithReleases);
    }
}
