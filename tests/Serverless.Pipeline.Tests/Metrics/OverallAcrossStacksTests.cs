using Serverless.Pipeline.Metrics;

namespace Serverless.Pipeline.Tests.Metrics;

/// <summary>
/// The overall figures of several stacks: a day on which three stacks released is one day with releases, not
/// three; the figures that are counts of releases, commits, deployments or incidents add up. Checked on the
/// calculator and on the stored path (daily rollups plus raw edges), which must give the raw rows' answer.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OverallAcrossStacksTests(AzuriteFixture azurite)
{
    private static DateTimeOffset At(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, TimeSpan.Zero);

    // Monday 2 March to Monday 9 March: 7 days.
    private static readonly MetricsWindow Week = new(At(2, 0), At(9, 0));
    private static readonly string[] Production = ["prod-a", "prod-b"];

    private static StackMetricsInput Input(string stack, params DateTimeOffset[] releasedAt)
    {
        var runs = releasedAt.Select((at, i) => FinishedRuns.Released(stack, FinishedRuns.Commit($"{stack}{i}"), at, Production, committedAt: at.AddHours(-1))).ToList();
        var summary = DeliverySummaries.Summarize(Week,
            runs.Select(FinishedRuns.ReleaseOf),
            runs.SelectMany(RunFacts.Deployments));
        return new StackMetricsInput(stack, summary, [], [], Production, ["dev"]);
    }

    [Fact]
    public void Three_stacks_releasing_on_one_day_make_one_day_with_releases_overall()
    {
        // net at 09:00, dns at 12:00, vault at 18:00 on Wednesday 4 March.
        StackMetricsInput[] stacks = [Input("net", At(4, 9)), Input("dns", At(4, 12)), Input("vault", At(4, 18))];

        var overall = DeliveryMetricsCalculator.ComputeOverall(stacks, Week, At(10, 0)).DeploymentFrequency;

        Assert.All(stacks, s => Assert.Equal(1, s.Summary.DaysWithReleases));
        Assert.Equal(3, overall.Releases);
        Assert.Equal(1, overall.DaysWithReleases);          // 4 March, once: not 1 + 1 + 1
        Assert.Equal(0.4286, overall.PerDay);               // 3 releases / 7 days: releases do add up
    }

    [Fact]
    public void Two_stacks_releasing_on_two_days_make_two_days_with_releases_overall()
    {
        var overall = DeliveryMetricsCalculator.ComputeOverall([Input("net", At(4, 9)), Input("dns", At(5, 9))], Week, At(10, 0));

        Assert.Equal(2, overall.DeploymentFrequency.DaysWithReleases);
    }

    [Fact]
    public void Stacks_that_release_every_day_never_make_more_days_than_the_window_has()
    {
        // Each of three stacks releases twice a day, every day of the week: 42 releases on 7 days.
        var days = Enumerable.Range(2, 7).SelectMany(d => new[] { At(d, 8), At(d, 16) }).ToArray();

        var overall = DeliveryMetricsCalculator.ComputeOverall([Input("net", days), Input("dns", days), Input("vault", days)], Week, At(10, 0));

        Assert.Equal(42, overall.DeploymentFrequency.Releases);
        Assert.Equal(7, overall.DeploymentFrequency.DaysWithReleases);   // not 21
    }

    [Fact]
    public async Task Overall_days_from_daily_rollups_are_distinct_days_and_the_same_as_from_raw_rows()
    {
        var stand = new MetricsStand(azurite);
        // From Tuesday 3 March 12:00 to Friday 6 March 12:00: 4 and 5 March from their rollups, the two half days raw.
        var window = new MetricsWindow(At(3, 12), At(6, 12));
        var releases = new Dictionary<string, DateTimeOffset[]>
        {
            ["net"] = [At(4, 9), At(6, 8)],            // 4 March (rollup), 6 March morning (edge)
            ["dns"] = [At(4, 12), At(4, 13)],          // 4 March twice
            ["vault"] = [At(3, 20), At(4, 18)],        // 3 March evening (edge), 4 March
            ["web"] = [At(5, 10), At(6, 13)],          // 5 March (rollup); 6 March 13:00 is after the window
        };
        foreach (var (stack, times) in releases)
        {
            for (var i = 0; i < times.Length; i++)
                await stand.Recorder.RecordRunFinishedAsync(FinishedRuns.Released(stack, FinishedRuns.Commit($"{stack}{i}"), times[i], Production, committedAt: times[i].AddHours(-1)));
        }

        var stacks = releases.Keys.Select(s => MetricsStand.Stack(s, Production)).ToList();
        var (stored, raw) = await stand.BothWaysAsync(stacks, window, At(7, 0));

        Assert.Equal(2, window.Plan().WholeDays);
        Assert.Equal(new long[] { 2, 1, 2, 1 }, stored.Stacks.Select(s => s.DeploymentFrequency.DaysWithReleases));
        Assert.Equal(7, stored.Overall!.DeploymentFrequency.Releases);
        Assert.Equal(4, stored.Overall.DeploymentFrequency.DaysWithReleases);   // 3, 4, 5 and 6 March; the sum would be 6
        Assert.Equal(MetricsStand.Json(raw), MetricsStand.Json(stored));
    }
}
