using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Pipeline.Deploy;
using Serverless.Pipeline.Metrics;

namespace Serverless.Pipeline.Tests.Metrics;

/// <summary>The metrics' stores, recorder and reader over tables (and blobs) of their own on the shared Azurite.</summary>
internal sealed class MetricsStand
{
    public MetricsStand(AzuriteFixture azurite)
    {
        Storage = AzuriteFixture.IsolatedOptions();
        Tables = new PipelineTables(azurite.Tables, Storage);
        Releases = new ReleaseStore(Tables);
        Incidents = new IncidentStore(Tables);
        Environments = new EnvironmentStore(Tables);
        var changes = new ChangeLedger(Tables);
        var deployments = new DeploymentLog(Tables);
        var downtime = new DowntimeLedger(Tables);
        Rollups = new RollupStore(Tables, Releases, deployments, downtime);
        Recorder = new DeliveryRecorder(Releases, changes, Incidents, deployments, downtime, Rollups, NullLogger<DeliveryRecorder>.Instance);
        Reader = new MetricsReader(Rollups, Releases, deployments, downtime, Incidents, Environments);
        Runs = new RunStore(Tables);
        RunRecorder = new RunRecorder(Runs, Recorder, RunObservers.None);
    }

    public IOptions<StorageOptions> Storage { get; }
    public PipelineTables Tables { get; }
    public ReleaseStore Releases { get; }
    public IncidentStore Incidents { get; }
    public EnvironmentStore Environments { get; }
    public RollupStore Rollups { get; }
    public DeliveryRecorder Recorder { get; }
    public MetricsReader Reader { get; }
    public RunStore Runs { get; }

    /// <summary>The record step, as the record activity runs it: the run, then (once it has finished) its metrics.</summary>
    public RunRecorder RunRecorder { get; }

    /// <summary>A registered stack with one test environment, "dev", and the given production instances.</summary>
    public static StackDefinition Stack(string name, params string[] production) =>
        TestStacks.Definition(name, $"https://example.invalid/{name}.git", ["dev"], production, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>
    /// The report of the stacks over the window twice: as the API answers it (rollups of whole days, raw rows at the
    /// edges) and from raw rows only.
    /// </summary>
    public async Task<(MetricsReport Stored, MetricsReport Raw)> BothWaysAsync(IReadOnlyList<StackDefinition> stacks, MetricsWindow window, DateTimeOffset now)
    {
        var stored = await Reader.ReportAsync(stacks, window, now, overall: true);
        var inputs = new List<StackMetricsInput>();
        foreach (var stack in stacks)
        {
            var input = await Reader.ReadAsync(stack, window);
            inputs.Add(input with { Summary = await Reader.ReadRawAsync(stack.Name, window.From, window.To) });
        }
        var raw = new MetricsReport(window.From, window.To, Math.Round(window.Days, 4), now,
            [.. inputs.Select(i => DeliveryMetricsCalculator.Compute(i, window, now))], DeliveryMetricsCalculator.ComputeOverall(inputs, window, now));
        return (stored, raw);
    }

    /// <summary>Two reports as JSON, to compare every figure at once.</summary>
    public static string Json(MetricsReport report) => JsonSerializer.Serialize(report);
}
