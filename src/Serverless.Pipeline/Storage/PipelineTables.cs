using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Serverless.Pipeline.Storage;

/// <summary>The tables of the delivery record, each created once per process on first use.</summary>
public sealed class PipelineTables(TableServiceClient service, IOptions<StorageOptions> options)
{
    private readonly Dictionary<string, Lazy<Task<TableClient>>> _tables = new();
    private readonly Lock _gate = new();

    public Task<TableClient> Stacks => Get("stacks");
    public Task<TableClient> Runs => Get("runs");
    public Task<TableClient> RunIndex => Get("runindex");
    public Task<TableClient> Stages => Get("stages");
    public Task<TableClient> Deployments => Get("deployments");
    public Task<TableClient> Environments => Get("environments");

    /// <summary>Who deploys to a resource group now, and who waits: partition = subscription:resource group; see <see cref="Deploy.EnvironmentLocks"/>.</summary>
    public Task<TableClient> Locks => Get("locks");

    /// <summary>Stacks by repository: partition = <see cref="Serverless.Pipeline.Stacks.RepositoryUrl.Key"/> of the normalized URL, row = stack.</summary>
    public Task<TableClient> StacksByRepository => Get("stacksbyrepo");

    /// <summary>The commits each run of a stack delivers; written only by <see cref="Serverless.Pipeline.Metrics.ChangeLedger"/>.</summary>
    public Task<TableClient> Changes => Get("changes");

    /// <summary>Push events that started no run, and why; see <see cref="Serverless.Pipeline.Triggers.IgnoredEventStore"/>.</summary>
    public Task<TableClient> IgnoredEvents => Get("ignoredevents");

    // Delivery metrics; see Serverless.Pipeline.Metrics and docs/metrics.md.

    /// <summary>Production releases: partition = stack, row = newest-first release time + run id; lookup rows under <c>run:{runId}</c>.</summary>
    public Task<TableClient> Releases => Get("releases");

    /// <summary>The commits each run delivers: partition = run id, row = commit (an index of <c>changes</c>).</summary>
    public Task<TableClient> ChangesByRun => Get("changesbyrun");

    /// <summary>Incidents: partition = stack, row = newest-first opened time + id; lookups under <c>id:{id}</c> and <c>run:{runId}</c>.</summary>
    public Task<TableClient> Incidents => Get("incidents");

    /// <summary>Every deployment of a stack by time: partition = stack, row = newest-first finish time + run + environment.</summary>
    public Task<TableClient> DeploymentsByStack => Get("deploymentsbystack");

    /// <summary>Downtime observed during deployments: partition = stack, row = newest-first observed time + run + environment.</summary>
    public Task<TableClient> Downtime => Get("downtime");

    /// <summary>Daily metric rollups: partition = stack, row = yyyyMMdd (UTC).</summary>
    public Task<TableClient> Rollups => Get("rollups");

    private Task<TableClient> Get(string name)
    {
        var fullName = options.Value.NamePrefix + name;
        Lazy<Task<TableClient>> table;
        lock (_gate)
        {
            if (!_tables.TryGetValue(fullName, out table!))
            {
                table = new Lazy<Task<TableClient>>(() => CreateAsync(fullName));
                _tables[fullName] = table;
            }
        }
        return table.Value;
    }

    private async Task<TableClient> CreateAsync(string name)
    {
        var client = service.GetTableClient(name);
        await client.CreateIfNotExistsAsync();
        return client;
    }
}
