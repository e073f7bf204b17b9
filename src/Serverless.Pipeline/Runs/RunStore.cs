using System.Text.Json;
using Azure.Data.Tables;
using Serverless.Pipeline.Storage;
using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Runs;

/// <summary>
/// The delivery record of runs in Table storage.
/// <list type="bullet">
/// <item><c>runs</c>: partition = stack, row = commit; the whole run.</item>
/// <item><c>runindex</c>: partitions <c>stack:{stack}</c> and <c>all</c>, rows newest first; what the run list reads.</item>
/// <item><c>stages</c> and <c>deployments</c>: partition = run id; one row per stage and per deployment, written when the run ends.</item>
/// </list>
/// Every read is a point read or one bounded partition range: no table scans.
/// </summary>
/// <remarks>It writes what it is given and nothing else: <see cref="RunRecorder"/> is the record step that also projects the metrics.</remarks>
public sealed class RunStore(PipelineTables tables)
{
    private Task<TableClient> RunsTable => tables.Open("runs");

    private Task<TableClient> RunIndexTable => tables.Open("runindex");

    private Task<TableClient> StagesTable => tables.Open("stages");

    private Task<TableClient> DeploymentsTable => tables.Open("deployments");

    public const string AllRunsPartition = "all";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string StackPartition(string stack) => $"stack:{stack}";

    /// <summary>A finished run's stage and deployment rows (one partition each, under the run id).</summary>
    public async Task RecordOutcomeAsync(RunRecord record, CancellationToken cancellation = default)
    {
        var (input, progress) = (record.Input, record.Progress);
        await WriteStagesAsync(input.RunId, progress.Stages, cancellation);
        await WriteDeploymentsAsync(input, progress.Deployments, cancellation);
    }

    /// <summary>The run's row and its lines in the run lists: what shows the run's status.</summary>
    public async Task RecordStatusAsync(RunRecord record, CancellationToken cancellation = default)
    {
        var (input, progress) = (record.Input, record.Progress);
        var id = RunId.Parse(input.RunId);
        var runs = await RunsTable;
        await runs.UpsertEntityAsync(new TableEntity(input.Stack, id.Key)
        {
            ["RunId"] = input.RunId,
            ["Status"] = progress.Status.ToString(),
            ["Reason"] = progress.Reason,
            ["ArtifactVersion"] = progress.ArtifactVersion,
            ["RequestedAt"] = input.RequestedAt,
            ["FinishedAt"] = progress.FinishedAt,
            ["RecordedAt"] = record.RecordedAt,
            ["Input"] = JsonSerializer.Serialize(input, Json),
            ["Progress"] = JsonSerializer.Serialize(progress, Json),
        }, TableUpdateMode.Replace, cancellation);

        var index = await RunIndexTable;
        var indexKey = $"{TableKeys.NewestFirst(input.RequestedAt)}.{input.RunId}";
        foreach (var partition in new[] { StackPartition(input.Stack), AllRunsPartition })
        {
            await index.UpsertEntityAsync(new TableEntity(partition, indexKey)
            {
                ["RunId"] = input.RunId,
                ["Stack"] = input.Stack,
                ["Commit"] = id.Commit,
                ["Status"] = progress.Status.ToString(),
                ["RequestedAt"] = input.RequestedAt,
                ["FinishedAt"] = progress.FinishedAt,
                ["ArtifactVersion"] = progress.ArtifactVersion,
            }, TableUpdateMode.Replace, cancellation);
        }
    }

    public async Task<RunView?> GetAsync(RunId id, CancellationToken cancellation = default)
    {
        var runs = await RunsTable;
        var row = await runs.GetEntityIfExistsAsync<TableEntity>(id.Stack, id.Key, cancellationToken: cancellation);
        if (!row.HasValue || row.Value is null) return null;
        var input = JsonSerializer.Deserialize<PipelineInput>(row.Value.GetString("Input"), Json)!;
        var progress = JsonSerializer.Deserialize<RunProgress>(row.Value.GetString("Progress"), Json);
        return RunView.From(input, progress);
    }

    public async Task<IReadOnlyList<RunSummary>> ListAsync(string? stack, RunStatus? status, int take, CancellationToken cancellation = default)
    {
        var index = await RunIndexTable;
        var partition = stack is null ? AllRunsPartition : StackPartition(stack);
        var filter = status is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and Status eq {status.ToString()}");
        var summaries = new List<RunSummary>(take);
        await foreach (var row in index.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(take, 1000), cancellationToken: cancellation))
        {
            summaries.Add(new RunSummary(
                row.GetString("RunId"), row.GetString("Stack"), row.GetString("Commit"),
                Enum.Parse<RunStatus>(row.GetString("Status")), row.GetDateTimeOffset("RequestedAt")!.Value,
                row.GetDateTimeOffset("FinishedAt"), row.GetString("ArtifactVersion")));
            if (summaries.Count == take) break;
        }
        return summaries;
    }

    /// <summary>Runs of a stack that were asked for before <paramref name="before"/> and have not finished: one partition range.</summary>
    public async Task<IReadOnlyList<string>> UnfinishedBeforeAsync(string stack, DateTimeOffset before, string exceptRunId, CancellationToken cancellation = default)
    {
        var index = await RunIndexTable;
        var partition = StackPartition(stack);
        // Rows sort newest first, so everything asked for before the moment sorts after its key. A run cannot
        // wait longer than the longest approval timeout, which bounds the range.
        var oldest = before - TimeSpan.FromMinutes(Stacks.StackRegistration.MaxApprovalTimeoutMinutes) - TimeSpan.FromDays(1);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey gt {TableKeys.NewestFirst(before)} and RowKey lt {TableKeys.NewestFirst(oldest)}");
        var unfinished = new List<string>();
        await foreach (var row in index.QueryAsync<TableEntity>(filter, select: ["RunId", "Status"], cancellationToken: cancellation))
        {
            if (row.GetString("RunId") is { } id && id != exceptRunId && Enum.TryParse<RunStatus>(row.GetString("Status"), out var status) && !status.IsFinished())
                unfinished.Add(id);
        }
        return unfinished;
    }

    private async Task WriteStagesAsync(string runId, IReadOnlyList<StageExecution> stages, CancellationToken cancellation)
    {
        var rows = stages.Select((stage, i) => new TableEntity(runId, i.ToString("D3"))
        {
            ["Stage"] = stage.Name,
            ["Kind"] = stage.Kind.ToString(),
            ["Status"] = stage.Status.ToString(),
            ["ReadyAt"] = stage.ReadyAt,
            ["StartedAt"] = stage.StartedAt,
            ["FinishedAt"] = stage.FinishedAt,
            ["WaitingSeconds"] = stage.WaitingSeconds,
            ["WorkingSeconds"] = stage.WorkingSeconds,
            ["Detail"] = stage.Detail,
        });
        await TableBatches.UpsertAsync(await StagesTable, rows, TableUpdateMode.Replace, cancellation);
    }

    private async Task WriteDeploymentsAsync(PipelineInput input, IReadOnlyList<DeploymentRecord> deployments, CancellationToken cancellation)
    {
        var rows = deployments.Select(d => new TableEntity(input.RunId, d.Environment)
        {
            ["Stack"] = input.Stack,
            ["Commit"] = input.Commit.Id,
            ["Kind"] = d.Kind.ToString(),
            ["Version"] = d.Version,
            ["StartedAt"] = d.StartedAt,
            ["FinishedAt"] = d.FinishedAt,
            ["ResourceGroup"] = d.ResourceGroup,
            ["DeploymentName"] = d.DeploymentName,
            ["DowntimeSeconds"] = d.DowntimeSeconds,
            ["LogBlob"] = d.LogBlob,
        });
        await TableBatches.UpsertAsync(await DeploymentsTable, rows, TableUpdateMode.Replace, cancellation);
    }
}
