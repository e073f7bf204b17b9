using Serverless.Pipeline.Build;

namespace Serverless.Pipeline.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class ArtifactStoreTests(AzuriteFixture azurite)
{
    private static readonly Microsoft.Extensions.Options.IOptions<Serverless.Pipeline.Storage.StorageOptions> Options = AzuriteFixture.IsolatedOptions();
    private readonly ArtifactStore _store = new(azurite.Blobs, Options);

    [Fact]
    public async Task Writing_the_same_version_again_is_a_no_op_and_it_reads_back_verified()
    {
        var (manifest, files) = Artifact("stack-a", """{"resources":[]}""");

        var first = await _store.WriteAsync(manifest, files);
        var second = await _store.WriteAsync(manifest with { BuiltAt = manifest.BuiltAt.AddMinutes(5) }, files);
        var read = await _store.ReadVerifiedAsync("stack-a", manifest.Version);

        Assert.Equal(first, second);
        Assert.Equal(manifest.BuiltAt, read.Manifest.BuiltAt); // The first manifest stays.
        Assert.Equal(files["template.json"], read.Files["template.json"]);
    }

    [Fact]
    public async Task Different_content_under_an_existing_version_is_refused()
    {
        var (manifest, files) = Artifact("stack-b", """{"resources":[]}""");
        await _store.WriteAsync(manifest, files);

        var forged = new Dictionary<string, byte[]> { ["template.json"] = Encoding.UTF8.GetBytes("""{"resources":[1]}""") };

        await Assert.ThrowsAsync<ArtifactConflictException>(() => _store.WriteAsync(manifest, forged));
    }

    [Fact]
    public async Task A_tampered_artifact_blob_is_refused_on_read()
    {
        var (manifest, files) = Artifact("stack-c", """{"resources":[]}""");
        await _store.WriteAsync(manifest, files);
        var container = azurite.Blobs.GetBlobContainerClient(ContainerName());
        await container.GetBlobClient($"stack-c/{manifest.Version}/template.json")
            .UploadAsync(BinaryData.FromString("""{"resources":["evil"]}"""), overwrite: true);

        var error = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => _store.ReadVerifiedAsync("stack-c", manifest.Version));
        Assert.Contains("changed after the build", error.Message);
    }

    [Fact]
    public async Task A_missing_artifact_is_refused_on_read()
    {
        await Assert.ThrowsAsync<ArtifactIntegrityException>(() => _store.ReadVerifiedAsync("stack-d", "0000000000000000"));
    }

    private static string ContainerName() => Options.Value.NamePrefix + "artifacts";

    private static (ArtifactManifest, Dictionary<string, byte[]>) Artifact(string stack, string template)
    {
        var files = new Dictionary<string, byte[]> { ["template.json"] = Encoding.UTF8.GetBytes(template) };
        var version = ArtifactVersion.Of(files.Select(f => (f.Key, f.Value)));
        var manifest = new ArtifactManifest(stack, version, "abcdef1", null, "ann", null, new Dictionary<string, string>(), DateTimeOffset.UtcNow,
            [.. files.Select(f => new ArtifactFile(f.Key, ArtifactVersion.Sha256Hex(f.Value), f.Value.Length))]);
        return (manifest, files);
    }
}
