using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Serverless.Pipeline.Definition;
using Serverless.Pipeline.Storage;

namespace Serverless.Pipeline.Stacks;

/// <summary>
/// Registered stacks.
/// <list type="bullet">
/// <item><c>stacks</c>: one partition; row = stack name; the whole registration.</item>
/// <item><c>stacksbyrepo</c>: partition = <see cref="RepositoryUrl.Key"/> of the stack's normalized repository URL,
/// row = stack name; kept on registration so that a push finds its stacks with one partition read, not a scan.</item>
/// </list>
/// </summary>
public sealed class StackStore(PipelineTables tables)
{
    private Task<TableClient> StacksTable => tables.Open("stacks");

    /// <summary>Stacks by repository: partition = <see cref="Serverless.Pipeline.Stacks.RepositoryUrl.Key"/> of the normalized URL, row = stack.</summary>
    private Task<TableClient> StacksByRepositoryTable => tables.Open("stacksbyrepo");

    private const string Partition = "stack";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static readonly StackGovernance Unregistered = new([], new ProductionProtection(
        new ApprovalPolicy([], [], 1, false, TimeSpan.FromMinutes(StackRegistration.DefaultApprovalTimeoutMinutes)), StackDefinition.DefaultBranch));

    public async Task SaveAsync(StackDefinition stack, CancellationToken cancellation = default)
    {
        var table = await StacksTable;
        var previous = await FindAsync(stack.Name, cancellation);

        // The index row goes first: a crash in between leaves at worst a stale index row, which readers skip.
        await IndexAsync(stack, cancellation);
        await table.UpsertEntityAsync(new TableEntity(Partition, stack.Name)
        {
            ["Repository"] = stack.Repository,
            ["Governance"] = JsonSerializer.Serialize(stack.Governance, Json),
            ["RegisteredAt"] = stack.RegisteredAt,
            ["Branch"] = stack.Branch,
            ["Path"] = stack.Path,
            ["Paths"] = JsonSerializer.Serialize(stack.Paths),
            ["Operators"] = stack.Operators is null ? null : JsonSerializer.Serialize(stack.Operators),
        }, TableUpdateMode.Replace, cancellation);

        if (previous is not null && IndexKey(previous.Repository) is { } old && old != IndexKey(stack.Repository))
        {
            var index = await StacksByRepositoryTable;
            try
            {
                await index.DeleteEntityAsync(old, stack.Name, ETag.All, cancellation);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Already gone.
            }
        }
    }

    public async Task<StackDefinition?> FindAsync(string name, CancellationToken cancellation = default)
    {
        var table = await StacksTable;
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, name, cancellationToken: cancellation);
        return row.HasValue && row.Value is not null ? ToDefinition(row.Value) : null;
    }

    public async Task<IReadOnlyList<StackDefinition>> ListAsync(CancellationToken cancellation = default)
    {
        var table = await StacksTable;
        var stacks = new List<StackDefinition>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellation))
            stacks.Add(ToDefinition(row));
        return stacks;
    }

    /// <summary>The stacks whose repository is this one, however either URL is spelled: one index partition and a point read per stack.</summary>
    public async Task<IReadOnlyList<StackDefinition>> ListByRepositoryAsync(string repository, CancellationToken cancellation = default)
    {
        var normalized = RepositoryUrl.Normalize(repository);
        if (normalized is null) return [];
        var index = await StacksByRepositoryTable;
        var names = new List<string>();
        var partition = RepositoryUrl.Key(normalized);
        await foreach (var row in index.QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["RowKey"], cancellationToken: cancellation))
            names.Add(row.RowKey);

        var stacks = await Task.WhenAll(names.Select(name => FindAsync(name, cancellation)));
        // A stack re-registered with another repository may leave a stale index row behind; it is skipped here.
        return [.. stacks.OfType<StackDefinition>().Where(s => RepositoryUrl.Normalize(s.Repository) == normalized).OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    private async Task IndexAsync(StackDefinition stack, CancellationToken cancellation)
    {
        if (RepositoryUrl.Normalize(stack.Repository) is not { } normalized) return;
        var index = await StacksByRepositoryTable;
        await index.UpsertEntityAsync(new TableEntity(RepositoryUrl.Key(normalized), stack.Name)
        {
            ["Repository"] = normalized,
        }, TableUpdateMode.Replace, cancellation);
    }

    private static string? IndexKey(string repository) =>
        RepositoryUrl.Normalize(repository) is { } normalized ? RepositoryUrl.Key(normalized) : null;

    private static StackDefinition ToDefinition(TableEntity row) => new(
        row.RowKey,
        row.GetString("Repository"),
        // A stack registered before environments belonged to the registration has none: its builds say to register it again.
        row.GetString("Governance") is { } governance ? JsonSerializer.Deserialize<StackGovernance>(governance, Json)! : Unregistered,
        row.GetDateTimeOffset("RegisteredAt") ?? DateTimeOffset.MinValue)
    {
        // Stacks registered before branch and path filters existed deliver main, on a change to any file.
        Branch = row.GetString("Branch") ?? StackDefinition.DefaultBranch,
        Path = row.GetString("Path") ?? "",
        Paths = row.GetString("Paths") is { } paths ? JsonSerializer.Deserialize<List<string>>(paths) ?? [.. StackDefinition.AllPaths] : StackDefinition.AllPaths,
        Operators = row.GetString("Operators") is { } operators ? JsonSerializer.Deserialize<List<string>>(operators) : null,
    };
}
