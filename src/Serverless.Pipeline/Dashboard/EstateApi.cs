using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Deploy;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Stacks;
using Serverless.Pipeline.Http;

namespace Serverless.Pipeline.Dashboard;

/// <summary>
/// <c>GET /api/estate?stack=</c>: what every environment of every stack (or of one) runs now, how far it is behind
/// the stack's latest release and since when. Reads per stack: its environments (one partition of
/// <c>environments</c>) and its recent runs (one bounded range of <c>runindex</c>). Never a scan.
/// </summary>
/// <remarks>
/// The latest release of a stack is the artifact version of its newest completed run. An environment that runs it
/// is current; otherwise it is behind by the completed runs requested after the run that gave it its version
/// (counted among the <see cref="RecentRuns"/> newest runs; beyond them, "at least").
/// </remarks>
public sealed class EstateApi(StackStore stacks, EnvironmentStore environments, RunStore runs, TimeProvider clock)
{
    /// <summary>How many of a stack's newest runs are read to count how far an environment is behind.</summary>
    public const int RecentRuns = 100;

    public const int ParallelStacks = 8;

    public async Task<IResult> GetAsync(HttpRequest request)
    {
        var cancellation = request.HttpContext.RequestAborted;
        var stack = request.Query["stack"].FirstOrDefault();
        var (selected, refusal) = await stacks.SelectAsync(stack, cancellation);
        if (refusal is not null) return refusal;

        var now = clock.GetUtcNow();
        var answers = new StackEstate[selected.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, selected.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelStacks, CancellationToken = cancellation },
            async (i, token) =>
            {
                var definition = selected[i];
                var states = await environments.ListAsync(definition.Name, token);
                var recent = await runs.ListAsync(definition.Name, status: null, RecentRuns, token);
                answers[i] = Describe(definition, states, recent, now);
            });
        return Results.Json(new EstateView(now, [.. answers.OrderBy(s => s.Stack, StringComparer.Ordinal)]), ApiJson.Options);
    }

    /// <summary>The estate of one stack from its environments now and its recent runs, newest first.</summary>
    public static StackEstate Describe(StackDefinition stack, IReadOnlyList<EnvironmentState> states, IReadOnlyList<RunSummary> recent, DateTimeOffset now)
    {
        var completed = recent.Where(r => r.Status == RunStatus.Completed && r.ArtifactVersion is not null).ToList();
        var latest = completed.FirstOrDefault();
        var release = latest is null ? null : new LatestRelease(latest.ArtifactVersion!, latest.Id, latest.Commit, latest.FinishedAt ?? latest.RequestedAt);

        var byName = states.ToDictionary(s => s.Environment, StringComparer.Ordinal);
        var rows = new List<EnvironmentEstate>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, kind) in stack.TestEnvironments.Select(e => (e, "test")).Concat(stack.ProductionInstances.Select(e => (e, "production"))))
        {
            if (!known.Add(name)) continue;
            rows.Add(Cell(name, kind, byName.GetValueOrDefault(name), release, recent, now));
        }
        // Environments no longer registered with the stack still run something: show them last.
        foreach (var state in states.Where(s => !known.Contains(s.Environment)).OrderBy(s => s.Environment, StringComparer.Ordinal))
            rows.Add(Cell(state.Environment, "unregistered", state, release, recent, now));

        var production = rows.Where(r => r.Kind == "production" && r.Version is not null).Select(r => r.Version!).Distinct(StringComparer.Ordinal).Count();
        return new StackEstate(stack.Name, release, production, rows);
    }

    private static EnvironmentEstate Cell(string name, string kind, EnvironmentState? state, LatestRelease? release, IReadOnlyList<RunSummary> recent, DateTimeOffset now)
    {
        if (state is null) return new EnvironmentEstate(name, kind, null, null, null, null, release is null ? null : false, null, false, null, false);

        var applied = state.AppliedAt;
        var sinceApplied = applied is { } at ? Seconds(now - at) : (double?)null;
        if (release is null || string.Equals(state.Version, release.Version, StringComparison.Ordinal))
            return new EnvironmentEstate(name, kind, state.Version, state.RunId, applied, sinceApplied, release is null ? null : true, 0, false, null, false);

        // Newest first: the completed releases before the run that gave this environment its version are the ones it lacks.
        var position = -1;
        for (var i = 0; i < recent.Count; i++)
        {
            if (string.Equals(recent[i].Id, state.RunId, StringComparison.Ordinal)) { position = i; break; }
        }
        var newer = (position < 0 ? recent : recent.Take(position))
            .Where(r => r.Status == RunStatus.Completed && r.ArtifactVersion is not null && !string.Equals(r.ArtifactVersion, state.Version, StringComparison.Ordinal))
            .ToList();
        var behindSince = newer.Count == 0 ? (DateTimeOffset?)null : newer.Min(r => r.FinishedAt ?? r.RequestedAt);
        // A test environment often runs a candidate newer than the latest release: a run still on its way.
        var latestPosition = recent.TakeWhile(r => !string.Equals(r.Id, release.RunId, StringComparison.Ordinal)).Count();
        return new EnvironmentEstate(name, kind, state.Version, state.RunId, applied, sinceApplied, false, newer.Count,
            BehindAtLeast: position < 0 && recent.Count >= RecentRuns,
            BehindSeconds: behindSince is { } since ? Seconds(now - since) : null,
            Ahead: position >= 0 && position < latestPosition);
    }

    private static double Seconds(TimeSpan span) => Math.Round(Math.Max(0, span.TotalSeconds), 1);
}

/// <summary>The answer of <c>GET /api/estate</c>.</summary>
public sealed record EstateView(DateTimeOffset GeneratedAt, IReadOnlyList<StackEstate> Stacks);

/// <summary>
/// One stack across its environments: test environments in order, then production instances, then environments that
/// still run a version but are no longer registered. <see cref="ProductionVersions"/> above one means drift.
/// </summary>
public sealed record StackEstate(string Stack, LatestRelease? Latest, int ProductionVersions, IReadOnlyList<EnvironmentEstate> Environments);

/// <summary>The newest completed run of a stack: the version every environment should run.</summary>
public sealed record LatestRelease(string Version, string RunId, string Commit, DateTimeOffset ReleasedAt);

/// <summary>
/// What one environment runs. <see cref="Version"/> is null when nothing was ever applied. <see cref="Current"/>: it runs
/// the latest release (null when the stack has none). <see cref="Behind"/>: completed releases it lacks (at least that many
/// when <see cref="BehindAtLeast"/>); <see cref="BehindSeconds"/>: since the first of them was released. <see cref="Ahead"/>:
/// it runs a candidate from a run newer than the latest release (a test environment while a run is on its way).
/// </summary>
public sealed record EnvironmentEstate(
    string Environment,
    string Kind,
    string? Version,
    string? RunId,
    DateTimeOffset? AppliedAt,
    double? SecondsSinceApplied,
    bool? Current,
    int? Behind,
    bool BehindAtLeast,
    double? BehindSeconds,
    bool Ahead);
