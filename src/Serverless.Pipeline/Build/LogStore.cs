using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Storage;

namespace Serverless.Pipeline.Build;

/// <summary>Logs of builds, deployments and checks in Blob storage under <c>{run}/{name}</c>, linked from the run.</summary>
public sealed class LogStore(BlobServiceClient service, IOptions<StorageOptions> options)
{
    private readonly Lazy<Task<BlobContainerClient>> _container = new(async () =>
    {
        var container = service.GetBlobContainerClient(options.Value.NamePrefix + "logs");
        await container.CreateIfNotExistsAsync();
        return container;
    });

    /// <summary>Writes a log (a retried step overwrites its earlier attempt's log) and returns its blob name.</summary>
    public async Task<string> WriteAsync(string runId, string name, string text, CancellationToken cancellation = default)
    {
        var blobName = $"{runId}/{name}";
        var container = await _container.Value;
        await container.GetBlobClient(blobName).UploadAsync(BinaryData.FromBytes(Encoding.UTF8.GetBytes(text)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/plain; charset=utf-8" } }, cancellation);
        return blobName;
    }
}
