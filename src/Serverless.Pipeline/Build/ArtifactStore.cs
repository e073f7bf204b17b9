using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Storage;

namespace Serverless.Pipeline.Build;

/// <summary>
/// Content-addressed, write-once artifacts in Blob storage under <c>{stack}/{version}/</c>.
/// Writing the same files again is a no-op; different bytes under an existing name are refused.
/// The manifest is written last, so an artifact with a manifest is complete.
/// </summary>
public sealed class ArtifactStore(BlobServiceClient service, IOptions<StorageOptions> options)
{
    public const string ManifestName = "manifest.json";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly Lazy<Task<BlobContainerClient>> _container = new(async () =>
    {
        var container = service.GetBlobContainerClient(options.Value.NamePrefix + "artifacts");
        await container.CreateIfNotExistsAsync();
        return container;
    });

    public static string ManifestBlobName(string stack, string version) => $"{stack}/{version}/{ManifestName}";

    /// <summary>Stores the files and the manifest of a version; returns the manifest's blob name.</summary>
    public async Task<string> WriteAsync(ArtifactManifest manifest, IReadOnlyDictionary<string, byte[]> files, CancellationToken cancellation = default)
    {
        var container = await _container.Value;
        foreach (var (name, content) in files)
            await WriteOnceAsync(container, $"{manifest.Stack}/{manifest.Version}/{name}", content, requireSame: true, cancellation);

        var manifestBlob = ManifestBlobName(manifest.Stack, manifest.Version);
        // A rebuild of the same version has a different build time; the first manifest stays.
        await WriteOnceAsync(container, manifestBlob, JsonSerializer.SerializeToUtf8Bytes(manifest, Json), requireSame: false, cancellation);
        return manifestBlob;
    }

    /// <summary>Reads an artifact and proves its bytes are the ones its version and manifest name.</summary>
    public async Task<VerifiedArtifact> ReadVerifiedAsync(string stack, string version, CancellationToken cancellation = default)
    {
        var container = await _container.Value;
        var manifestBlob = container.GetBlobClient(ManifestBlobName(stack, version));
        ArtifactManifest manifest;
        try
        {
            var download = await manifestBlob.DownloadContentAsync(cancellation);
            manifest = download.Value.Content.ToObjectFromJson<ArtifactManifest>(Json)
                       ?? throw new ArtifactIntegrityException($"The manifest of {stack} {version} is empty.");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new ArtifactIntegrityException($"Artifact {stack} {version} does not exist.");
        }

        if (manifest.Stack != stack || manifest.Version != version)
            throw new ArtifactIntegrityException($"The manifest at {stack}/{version} describes {manifest.Stack} {manifest.Version}.");

        var files = new Dictionary<string, byte[]>();
        foreach (var file in manifest.Files)
        {
            byte[] content;
            try
            {
                content = (await container.GetBlobClient($"{stack}/{version}/{file.Name}").DownloadContentAsync(cancellation)).Value.Content.ToArray();
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                throw new ArtifactIntegrityException($"Artifact {stack} {version} is missing its file {file.Name}.");
            }
            if (ArtifactVersion.Sha256Hex(content) != file.Sha256)
                throw new ArtifactIntegrityException($"The file {file.Name} of artifact {stack} {version} does not match its manifest: it was changed after the build.");
            files[file.Name] = content;
        }

        if (ArtifactVersion.Of(files.Select(f => (f.Key, f.Value))) != version)
            throw new ArtifactIntegrityException($"The files of artifact {stack} {version} hash to another version.");
        return new VerifiedArtifact(manifest, files);
    }

    private static async Task WriteOnceAsync(BlobContainerClient container, string name, byte[] content, bool requireSame, CancellationToken cancellation)
    {
        var blob = container.GetBlobClient(name);
        try
        {
            await blob.UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = name.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "application/octet-stream" },
            }, cancellation);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            if (!requireSame) return;
            var existing = (await blob.DownloadContentAsync(cancellation)).Value.Content.ToArray();
            if (!existing.AsSpan().SequenceEqual(content))
                throw new ArtifactConflictException($"Blob {name} already exists with different content; artifacts are immutable.");
        }
    }
}

/// <summary>An artifact whose bytes were checked against its version.</summary>
public sealed record VerifiedArtifact(ArtifactManifest Manifest, IReadOnlyDictionary<string, byte[]> Files);
