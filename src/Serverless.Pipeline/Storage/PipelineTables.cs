using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Serverless.Pipeline.Storage;

/// <summary>The tables of the delivery record, each created once per process on first use, with the configured name prefix.</summary>
public sealed class PipelineTables(TableServiceClient service, IOptions<StorageOptions> options)
{
    private readonly Dictionary<string, Lazy<Task<TableClient>>> _tables = new();
    private readonly Lock _gate = new();

    /// <summary>
    /// The table of a name, created on first use. Each table has one owner, the store of its slice that writes it,
    /// which declares the name and the keys; TableOwnershipTests holds that no other file opens it.
    /// </summary>
    public Task<TableClient> Open(string name)
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
