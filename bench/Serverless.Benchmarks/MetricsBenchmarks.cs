using BenchmarkDotNet.Attributes;
using Serverless.Pipeline.Deploy;
using Serverless.Pipeline.Metrics;
using Serverless.Pipeline.Runs;

namespace Serverless.Benchmarks;

/// <summary>
/// The delivery metrics' pure computations over a year of one busy stack: 100,000 synthetic production releases
/// (1 to 3 commits each, 3 production instances and 2 test environments each, one in twenty failed or with an
/// incident), as the metrics code meets them: building the releases, summarising each day (what a daily rollup
/// keeps), merging a year of day summaries (what a metrics query does), computing the metrics from the merged
/// summary, and nearest-rank percentiles of 100,000 lead times, raw and from a sketch.
/// </summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    public const int Releases = 100_000;
    private const int Days = 365;
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Production = ["prod-westeurope", "prod-northeurope", "prod-eastus"];
    private static readonly string[] Test = ["dev", "staging"];
    private static readonly string[] ChangeTypes = ["network", "configuration", "pipeline", "documentation", "rollback"];

    private ReleaseInput[] _inputs = [];
    private Release[] _releases = [];
    private (Release[] Releases, DeploymentFact[] Deployments, DowntimeFact[] Downtime)[] _days = [];
    private PeriodSummary[] _daySummaries = [];
    private StackMetricsInput _metricsInput = null!;
    private MetricsWindow _window = null!;
    private double[] _leadTimes = [];
    private DurationSketch _leadSketch = null!;

    private sealed record ReleaseInput(string RunId, string Commit, string ChangeType, DateTimeOffset ReleasedAt, bool Succeeded,
        DateTimeOffset First, DateTimeOffset Last, double PersonSeconds, CommitFact[] Commits, string[]? Incidents);

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        var step = TimeSpan.FromDays(Days) / Releases;
        _inputs = new ReleaseInput[Releases];
        for (var i = 0; i < Releases; i++)
        {
            var releasedAt = Start + step * i;
            var first = releasedAt - TimeSpan.FromSeconds(random.Next(60, 600));
            var commits = Enumerable.Range(0, random.Next(1, 4))
                .Select(c => new CommitFact($"{i:x8}{c:x32}", first - TimeSpan.FromMinutes(random.Next(5, 60 * 48))))
                .ToArray();
            _inputs[i] = new ReleaseInput($"stack.{i:x8}", commits[0].Commit, ChangeTypes[random.Next(ChangeTypes.Length)], releasedAt,
                Succeeded: random.Next(20) != 0, first, releasedAt, random.Next(30, 7200), commits,
                random.Next(40) == 0 ? [$"inc-{i:x16}"] : null);
        }
        _releases = CreateReleases();

        _days = _releases
            .GroupBy(r => MetricsWindow.DayOf(r.ReleasedAt))
            .Select(day => (
                day.ToArray(),
                day.SelectMany(r => Test.Concat(Production).Select((environment, n) => new DeploymentFact(
                    r.RunId, environment, n < Test.Length ? StageKind.Test : StageKind.Production, "v1", r.ReleasedAt.AddMinutes(-10), r.ReleasedAt))).ToArray(),
                day.Where(r => r.ChangeType == "network").Select(r => new DowntimeFact(r.RunId, Production[0], r.ChangeType, r.Succeeded ? 0 : 42, r.ReleasedAt)).ToArray()))
            .ToArray();
        _daySummaries = SummarizeDays();

        _window = new MetricsWindow(Start, Start.AddDays(Days));
        var incidents = _releases.Where(r => r.Incidents.Count > 0)
            .Select(r => new IncidentFact(r.Incidents[0], "stack", Production[0], "outage", r.ReleasedAt.AddMinutes(5), r.ReleasedAt.AddMinutes(47), r.RunId, "api"))
            .ToArray();
        var environments = Test.Concat(Production).Select(e => new EnvironmentState(e, "v1", _releases[^1].RunId, _releases[^1].ReleasedAt)).ToArray();
        _metricsInput = new StackMetricsInput("stack", PeriodSummary.MergeAll(_daySummaries), incidents, environments, Production, Test);

        _leadTimes = _inputs.SelectMany(i => i.Commits.Select(c => (i.Last - c.CommittedAt).TotalSeconds)).ToArray();
        _leadSketch = DurationSketch.Of(_leadTimes);
    }

    /// <summary>Release.Create for every release: lead times per commit into sketches.</summary>
    [Benchmark]
    public Release[] CreateReleases()
    {
        var releases = new Release[_inputs.Length];
        for (var i = 0; i < _inputs.Length; i++)
        {
            var r = _inputs[i];
            releases[i] = Release.Create("stack", r.RunId, r.Commit, r.ChangeType, r.ReleasedAt, r.Succeeded, r.First, r.Last,
                Production.Length, r.Succeeded ? 0 : 1, r.PersonSeconds, r.Commits, incidentIds: r.Incidents);
        }
        return releases;
    }

    /// <summary>PeriodSummary.OfDay for each of 365 days: releases, 500,000 deployments and the downtime observed.</summary>
    [Benchmark]
    public PeriodSummary[] SummarizeDays() =>
        [.. _days.Select(d => PeriodSummary.OfDay(d.Releases, d.Deployments, d.Downtime))];

    /// <summary>PeriodSummary.MergeAll of a year of day summaries, as a metrics query merges rollup rows.</summary>
    [Benchmark]
    public PeriodSummary MergeYearOfDaySummaries() => PeriodSummary.MergeAll(_daySummaries);

    /// <summary>DeliveryMetricsCalculator.Compute: the DORA four keys and the rest from the summary of 100,000 releases.</summary>
    [Benchmark]
    public StackMetrics ComputeMetrics() => DeliveryMetricsCalculator.Compute(_metricsInput, _window, _window.To);

    /// <summary>The median lead time of every commit, by nearest rank over the raw values (sorting them).</summary>
    [Benchmark]
    public double? MedianLeadTimeRaw() => Percentiles.Of(_leadTimes, 0.5);

    /// <summary>The median lead time of every commit, from the sketch the rollups keep.</summary>
    [Benchmark]
    public double? MedianLeadTimeFromSketch() => _leadSketch.Quantile(0.5);
}
