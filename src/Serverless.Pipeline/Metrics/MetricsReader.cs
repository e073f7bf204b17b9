using Serverless.Pipeline.Deploy;
using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Metrics;

/// <summary>
/// The read path of the metrics: for one stack and window, the rollups of the whole days (one range), the
/// raw rows of the parts of days at the edges (at most two days: three small ranges each), the incidents
/// opened in the window (one range), and the stack's environments now (one partition). Never a scan.
/// </summary>
public sealed class MetricsReader(
    RollupStore rollups,
    ReleaseStore releases,
    DeploymentLog deployments,
    DowntimeLedger downtime,
    IncidentStore incidents,
    EnvironmentStore environments)
{
    public const int ParallelStacks = 8;

    public async Task<StackMetricsInput> ReadAsync(StackDefinition stack, MetricsWindow window, CancellationToken cancellation = default)
    {
        var summary = await ReadSummaryAsync(stack.Name, window, cancellation);
        var opened = await incidents.ReadOpenedAsync(stack.Name, window.From, window.To, cancellation);
        var now = await environments.ListAsync(stack.Name, cancellation);
        return new StackMetricsInput(stack.Name, summary, opened, now, stack.ProductionInstances, stack.TestEnvironments);
    }

    /// <summary>The summary of a window: rollups for whole days, raw rows only for the parts of days at its edges.</summary>
    public async Task<PeriodSummary> ReadSummaryAsync(string stack, MetricsWindow window, CancellationToken cancellation = default)
    {
        var plan = window.Plan();
        var parts = new List<PeriodSummary>();
        foreach (var (_, day) in await rollups.ReadDaysAsync(stack, plan.FirstDay, plan.EndDay, cancellation)) parts.Add(day);
        foreach (var (from, to) in plan.Edges) parts.Add(await ReadRawAsync(stack, from, to, cancellation));
        return PeriodSummary.MergeAll(parts);
    }

    /// <summary>The summary of [from, to) from raw rows only; for the edges, and to compare with rollups.</summary>
    public async Task<PeriodSummary> ReadRawAsync(string stack, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellation = default) =>
        PeriodSummary.OfDay(
            await releases.ReadRangeAsync(stack, from, to, cancellation),
            await deployments.ReadRangeAsync(stack, from, to, cancellation),
            await downtime.ReadRangeAsync(stack, from, to, cancellation));

    /// <summary>The metrics of each stack (a bounded number, read a few at a time) and of all of them together.</summary>
    public async Task<MetricsReport> ReportAsync(IReadOnlyList<StackDefinition> stacks, MetricsWindow window, DateTimeOffset now, bool overall, CancellationToken cancellation = default)
    {
        var inputs = new StackMetricsInput[stacks.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, stacks.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelStacks, CancellationToken = cancellation },
            async (i, token) => inputs[i] = await ReadAsync(stacks[i], window, token));
        var metrics = inputs.Select(i => DeliveryMetricsCalculator.Compute(i, window, now)).ToList();
        return new MetricsReport(window.From, window.To, Math.Round(window.Days, 4), now, metrics,
            overall ? DeliveryMetricsCalculator.ComputeOverall(inputs, window, now) : null);
    }
}
