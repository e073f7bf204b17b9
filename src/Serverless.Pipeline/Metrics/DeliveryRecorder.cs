using Azure;
using Microsoft.Extensions.Logging;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Metrics;

/// <summary>
/// Turns finished runs, incident links and downtime observations into the metrics' rows, and keeps the
/// daily rollups they touch up to date. Every write is keyed by what it records (run, commit, incident,
/// day), and rollups are recomputed rather than incremented, so recording the same thing twice (a replayed
/// or retried activity) changes nothing.
/// </summary>
public sealed class DeliveryRecorder(
    ReleaseStore releases,
    ChangeLedger changes,
    IncidentStore incidents,
    DeploymentLog deployments,
    DowntimeLedger downtime,
    RollupStore rollups,
    ILogger<DeliveryRecorder> log)
{
    /// <summary>
    /// Records a finished run: its deployments by stack and, if it reached production, its release with the
    /// lead times of its commits; then refreshes the rollups of the days it touched. Storage failures propagate
    /// (the activity's retry runs it again, harmlessly); any other failure is logged and does not fail the run.
    /// </summary>
    public async Task RecordRunFinishedAsync(RunRecord record, CancellationToken cancellation = default)
    {
        if (!record.Progress.Status.IsFinished()) return;
        try
        {
            await RecordAsync(record, cancellation);
        }
        catch (Exception e) when (e is not RequestFailedException and not OperationCanceledException)
        {
            log.LogError(e, "The delivery metrics of run {RunId} were not recorded", record.Input.RunId);
        }
    }

    private async Task RecordAsync(RunRecord record, CancellationToken cancellation)
    {
        var (input, progress) = (record.Input, record.Progress);
        var days = new SortedSet<DateOnly>();

        var deployed = RunFacts.Deployments(record);
        await deployments.WriteAsync(input.Stack, deployed, cancellation);
        days.UnionWith(deployed.Select(d => MetricsWindow.DayOf(d.FinishedAt)));

        if (RunFacts.ReachedProduction(progress))
        {
            var commits = await CommitsOfAsync(record, cancellation);
            var release = RunFacts.ToRelease(record, commits)!;
            var replaced = await releases.SaveAsync(release, c => incidents.LinkedToRunAsync(input.RunId, c), cancellation);
            days.Add(MetricsWindow.DayOf(release.ReleasedAt));
            if (replaced is { } old) days.Add(old);
            if (release.IsRollback && await releases.MarkRolledBackAsync(release, cancellation) is { } rolledBack)
                days.Add(MetricsWindow.DayOf(rolledBack.ReleasedAt));
            log.LogInformation("Release of {RunId} recorded: {Status}, {Commits} commits", input.RunId, release.Succeeded ? "succeeded" : "failed", release.CommitsCounted);
        }

        foreach (var day in days) await rollups.RefreshAsync(input.Stack, day, cancellation);
    }

    /// <summary>
    /// The commits a run delivers: those indexed under it (a push's commits), and its own head commit as the build read it
    /// from git (the one source of its commit time: a time the start request gave is only a display hint), which is recorded too.
    /// </summary>
    private async Task<IReadOnlyList<CommitFact>> CommitsOfAsync(RunRecord record, CancellationToken cancellation)
    {
        var (input, progress) = (record.Input, record.Progress);
        var commits = (await changes.ForRunAsync(input.RunId, cancellation)).ToList();
        if (progress.Commit is { CommittedAt: { } at } head)
        {
            await changes.RecordAsync(input.Stack, input.RunId, head.Id, [new ChangeEntry(head.Id, at, head.Author, head.Message)], cancellation);
            commits.RemoveAll(c => c.Commit == head.Id);
            commits.Add(new CommitFact(head.Id, at));
        }
        return commits;
    }

    /// <summary>
    /// Links an incident (already written with its run) to the run's release, and refreshes that release's day.
    /// If the release is not recorded yet, recording it picks the link up.
    /// </summary>
    public async Task LinkIncidentAsync(string stack, string runId, string incidentId, CancellationToken cancellation = default)
    {
        if (await releases.AddIncidentAsync(runId, incidentId, cancellation) is { } release)
            await rollups.RefreshAsync(stack, MetricsWindow.DayOf(release.ReleasedAt), cancellation);
    }

    /// <summary>Records downtime observed while deploying, and refreshes the day's rollup.</summary>
    public async Task RecordDowntimeAsync(string stack, DowntimeFact observation, CancellationToken cancellation = default)
    {
        await downtime.WriteAsync(stack, [observation], cancellation);
        await rollups.RefreshAsync(stack, MetricsWindow.DayOf(observation.ObservedAt), cancellation);
    }

    /// <summary>Recomputes the rollups of the days [first, end) of a stack, after a bulk load or a repair.</summary>
    public async Task RebuildRollupsAsync(string stack, DateOnly first, DateOnly end, CancellationToken cancellation = default)
    {
        for (var day = first; day < end; day = day.AddDays(1)) await rollups.RefreshAsync(stack, day, cancellation);
    }
}
