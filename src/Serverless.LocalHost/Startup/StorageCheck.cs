using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Storage;

namespace Serverless.LocalHost.Startup;

/// <summary>Before anything starts: can this process reach its storage account at all?</summary>
public static class StorageCheck
{
    public static async Task<string?> FindProblemAsync(IServiceProvider services)
    {
        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        if (storage.UsesServiceUris) return null; // Managed identity: checked by the first real call.
        try
        {
            var blobOptions = new BlobClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(5) } };
            var tableOptions = new TableClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(5) } };
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await new BlobServiceClient(storage.ConnectionString, blobOptions).GetPropertiesAsync(timeout.Token);
            await foreach (var _ in new TableServiceClient(storage.ConnectionString, tableOptions).QueryAsync(maxPerPage: 1, cancellationToken: timeout.Token).AsPages())
                break;
            return null;
        }
        catch (Exception e) when (e is Azure.RequestFailedException or OperationCanceledException or HttpRequestException or AggregateException or FormatException or ArgumentException)
        {
            var target = storage.ConnectionString == StorageOptions.DevelopmentStorage
                ? "Azurite on 127.0.0.1:10000-10002 (UseDevelopmentStorage=true); start it with 'npm run azurite'"
                : "the account in Storage:ConnectionString";
            return $"Storage is unreachable: {target}. ({FirstLine(e.Message)})";
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
