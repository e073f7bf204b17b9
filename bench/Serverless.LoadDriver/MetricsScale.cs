using Serverless.Pipeline.Definition;
using System.Diagnostics;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Pipeline.Deploy;
using Serverless.Pipeline.Metrics;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Stacks;
using Serverless.Pipeline.Storage;

namespace Serverless.LoadDriver;

/// <summary>
/// The scale figure of the metrics: seeds one stack with many releases and changes through the real stores
/// (on Azurite or a storage account), builds its daily rollups, and times the answer for that stack over a
/// window of nearly a year, from rollups (what the API does) and, for comparison, from raw rows only.
/// Benchmark seeding, not product code: the load driver's --metrics-scale runs it (docs/metrics.md), and a Pipeline test
/// compiles this file to check that the rollups answer as the raw rows do.
/// </summary>
public static class MetricsScale
{
    public sealed record Options(
        int Releases = 100_000,
        int Changes = 1_000_000,
        int Days = 365,
        string Stack = "scale-stack",
        int Queries = 5,
        int Parallelism = 8,
        bool CompareWithRaw = true,
        DateTimeOffset? End = null);

    public sealed record Report(
        string Stack,
        int Releases,
        int Changes,
        int Days,
        TimeSpan SeedChanges,
        TimeSpan SeedReleases,
        TimeSpan BuildRollups,
        MetricsWindow Window,
        int RollupRowsRead,
        int EdgeRawRowsRead,
        IReadOnlyList<double> QueryMilliseconds,
        double MedianQueryMilliseconds,
        double? RawQueryMilliseconds,
        bool? RollupsMatchRaw,
        StackMetrics Metrics);

    public static async Task<Report> SeedAndMeasureAsync(
        TableServiceClient service,
        string namePrefix,
        Options? options = null,
        TextWriter? progress = null,
        CancellationToken cancellation = default)
    {
        options ??= new Options();
        var tables = new PipelineTables(service, Microsoft.Extensions.Options.Options.Create(new StorageOptions { NamePrefix = namePrefix }));
        var releases = new ReleaseStore(tables);
        var changes = new ChangeLedger(tables);
        var deployments = new DeploymentLog(tables);
        var downtime = new DowntimeLedger(tables);
        var incidents = new IncidentStore(tables);
        var environments = new EnvironmentStore(tables);
        var rollups = new RollupStore(tables, releases, deployments, downtime);
        var recorder = new DeliveryRecorder(releases, changes, incidents, deployments, downtime, rollups, NullLogger<DeliveryRecorder>.Instance);
        var reader = new MetricsReader(rollups, releases, deployments, downtime, incidents, environments);

        var end = options.End ?? MetricsWindow.StartOfDay(DateTimeOffset.UtcNow);
        var start = end.AddDays(-options.Days);
        var seed = Generate(options, start, end);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellation };

        var clock = Stopwatch.StartNew();
        var done = 0;
        await Parallel.ForEachAsync(seed.Chunk(100), parallel, async (chunk, token) =>
        {
            await changes.RecordManyAsync(options.Stack, [.. chunk.Select(s => (s.Release.RunId, s.Release.Commit, s.Changes))], token);
            if (Interlocked.Add(ref done, chunk.Length) % 10_000 < chunk.Length) progress?.WriteLine($"changes of {done} releases written ({clock.Elapsed:mm\\:ss})");
        });
        var seedChanges = clock.Elapsed;

        clock.Restart();
        await Parallel.ForEachAsync(seed.Chunk(1000), parallel, async (chunk, token) =>
        {
            await releases.WriteManyAsync(chunk.Select(s => s.Release), withLookups: false, token);
            await deployments.WriteAsync(options.Stack, chunk.SelectMany(s => s.Deployments), token);
        });
        foreach (var environment in new[] { "staging", "prod-1", "prod-2", "prod-3" })
        {
            var last = seed[^1];
            await environments.RecordAppliedAsync(options.Stack, environment, last.Deployments[0].Version, last.Release.RunId, last.Release.ReleasedAt, cancellation);
        }
        var seedReleases = clock.Elapsed;
        progress?.WriteLine($"{seed.Count} releases and their deployments written ({seedReleases:mm\\:ss})");

        clock.Restart();
        var days = Enumerable.Range(0, options.Days).Select(i => MetricsWindow.DayOf(start).AddDays(i));
        await Parallel.ForEachAsync(days, parallel, async (day, token) => await recorder.RebuildRollupsAsync(options.Stack, day, day.AddDays(1), token));
        var buildRollups = clock.Elapsed;
        progress?.WriteLine($"{options.Days} daily rollups built ({buildRollups:mm\\:ss})");

        // Nearly a year, with ragged edges so that both the rollups and the raw rows are read.
        var window = new MetricsWindow(start.AddHours(12), end.AddHours(-6));
        var plan = window.Plan();
        var stack = new StackDefinition(options.Stack, "https://example.invalid/scale.git", new StackGovernance(
            [.. new[] { "staging", "prod-1", "prod-2", "prod-3" }.Select(e => new StackEnvironment(e, e == "staging" ? EnvironmentKind.Test : EnvironmentKind.Production,
                "22222222-2222-2222-2222-222222222222", $"rg-scale-{e}", "westeurope"))],
            new ProductionProtection(new ApprovalPolicy(["scale@contoso.example"], [], 1, false, TimeSpan.FromHours(1)), StackDefinition.DefaultBranch)), start);
        var timings = new List<double>();
        StackMetrics metrics = null!;
        PeriodSummary summary = null!;
        for (var i = 0; i < Math.Max(1, options.Queries); i++)
        {
            clock.Restart();
            var input = await reader.ReadAsync(stack, window, cancellation);
            metrics = DeliveryMetricsCalculator.Compute(input, window, end);
            timings.Add(clock.Elapsed.TotalMilliseconds);
            summary = input.Summary;
        }
        var edgeRows = 0;
        foreach (var (from, to) in plan.Edges)
            edgeRows += (await releases.ReadRangeAsync(options.Stack, from, to, cancellation)).Count + (await deployments.ReadRangeAsync(options.Stack, from, to, cancellation)).Count;

        double? rawMilliseconds = null;
        bool? matches = null;
        if (options.CompareWithRaw)
        {
            clock.Restart();
            var raw = await reader.ReadRawAsync(options.Stack, window.From, window.To, cancellation);
            rawMilliseconds = clock.Elapsed.TotalMilliseconds;
            matches = raw.Releases == summary.Releases
                && raw.DaysWithReleases == summary.DaysWithReleases
                && raw.ReleasesNeedingRemediation == summary.ReleasesNeedingRemediation
                && raw.LeadToFirst.ToString() == summary.LeadToFirst.ToString()
                && raw.LeadToLast.ToString() == summary.LeadToLast.ToString()
                && raw.FirstToLastLag.ToString() == summary.FirstToLastLag.ToString()
                && raw.PersonTime.ToString() == summary.PersonTime.ToString();
        }
        var ordered = timings.Order().ToList();
        var report = new Report(options.Stack, seed.Count, seed.Sum(s => s.Changes.Count), options.Days, seedChanges, seedReleases, buildRollups,
            window, plan.WholeDays, edgeRows, timings, ordered[(ordered.Count - 1) / 2], rawMilliseconds, matches, metrics);
        progress?.WriteLine($"answer for one stack over {window.Days:0.#} days: median {report.MedianQueryMilliseconds:0} ms " +
                            $"(rollups of {plan.WholeDays} days + {edgeRows} raw rows); raw rows only: {rawMilliseconds:0} ms; same answer: {matches}");
        return report;
    }

    private sealed record Seeded(Release Release, IReadOnlyList<ChangeEntry> Changes, IReadOnlyList<DeploymentFact> Deployments);

    /// <summary>Deterministic synthetic history: releases spread evenly over the days, each with its share of the commits.</summary>
    private static List<Seeded> Generate(Options options, DateTimeOffset start, DateTimeOffset end)
    {
        var random = new Random(20231005);
        string[] types = ["network", "policy", "compute", ChangeTypeNames.Unclassified];
        var span = (end - start).Ticks;
        var seeded = new List<Seeded>(options.Releases);
        for (var i = 0; i < options.Releases; i++)
        {
            var releasedAt = start.AddTicks(span / options.Releases * i + random.NextInt64(span / options.Releases));
            // Full commit ids, as every record holds them (padded, so the random sequence and with it the data stay the same).
            var commit = $"{i:x8}{random.Next():x8}".PadRight(CommitId.FullLength, '0');
            var runId = RunId.For(options.Stack, commit).ToString();
            var first = releasedAt.AddSeconds(-random.Next(0, 600));
            var succeeded = random.NextDouble() >= 0.05;
            var count = options.Changes / options.Releases + (i < options.Changes % options.Releases ? 1 : 0);
            var commits = Enumerable.Range(0, count)
                .Select(c => new ChangeEntry(c == count - 1 ? commit : $"{i:x8}{c:x4}{random.Next():x8}".PadRight(CommitId.FullLength, '0'), first.AddSeconds(-random.Next(600, 5 * 86_400)), "seed"))
                .ToList();
            var version = $"{i:x16}";
            var deployments = new List<DeploymentFact> { new(runId, "staging", StageKind.Test, version, first.AddMinutes(-30), first.AddMinutes(-29)) };
            for (var p = 1; p <= 3; p++)
                deployments.Add(new DeploymentFact(runId, $"prod-{p}", StageKind.Production, version, first.AddSeconds(-60), p == 3 ? releasedAt : first));
            var release = Release.Create(options.Stack, runId, commit, types[i % types.Length], releasedAt, succeeded, first, releasedAt,
                succeeded ? 3 : 2, succeeded ? 0 : 1, random.Next(60, 7200), commits.Select(c => new CommitFact(c.Commit, c.CommittedAt)),
                incidentIds: random.NextDouble() < 0.02 ? [$"inc-{i:x12}"] : null);
            seeded.Add(new Seeded(release, commits, deployments));
        }
        return seeded;
    }
}
