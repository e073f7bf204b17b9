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
