namespace Serverless.Pipeline.Metrics;

/// <summary>
/// The reference path from raw facts to a window's summary: keep what lies in [from, to), group it by UTC day,
/// summarise each day and merge. The stored path (rollups for whole days, raw rows at the edges) must give the
/// same answer; tests compare the two, and benchmarks call this directly.
/// </summary>
public static class DeliverySummaries
{
    public static PeriodSummary Summarize(
        MetricsWindow window,
        IEnumerable<Release> releases,
        IEnumerable<DeploymentFact>? deployments = null,
        IEnumerable<DowntimeFact>? downtime = null)
    {
        var byDay = new SortedDictionary<DateOnly, (List<Release> R, List<DeploymentFact> D, List<DowntimeFact> T)>();
        (List<Release> R, List<DeploymentFact> D, List<DowntimeFact> T) Day(DateTimeOffset at)
        {
            var day = MetricsWindow.DayOf(at);
            if (!byDay.TryGetValue(day, out var lists)) byDay[day] = lists = ([], [], []);
            return lists;
        }
        foreach (var r in releases.Where(r => window.Contains(r.ReleasedAt))) Day(r.ReleasedAt).R.Add(r);
        foreach (var d in (deployments ?? []).Where(d => window.Contains(d.FinishedAt))) Day(d.FinishedAt).D.Add(d);
        foreach (var t in (downtime ?? []).Where(t => window.Contains(t.ObservedAt))) Day(t.ObservedAt).T.Add(t);
        return PeriodSummary.MergeAll(byDay.Values.Select(l => PeriodSummary.OfDay(l.R, l.D, l.T)));
    }
}
