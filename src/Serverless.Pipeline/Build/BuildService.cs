using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Build;

/// <summary>
/// The build stage: turns a commit into the one immutable artifact that every later stage uses.
/// This version produces the stack's deployment template for the commit without fetching its
/// source yet (the build-stage issue adds git, delivery.yaml and Bicep); the artifact, its
/// content-addressed version and its manifest are real and write-once.
/// </summary>
public sealed class BuildService(ArtifactStore artifacts, TimeProvider clock)
{
    public const string TemplateFile = "template.json";

    public async Task<BuildResult> BuildAsync(BuildRequest request, CancellationToken cancellation = default)
    {
        var startedAt = clock.GetUtcNow();
        var files = new Dictionary<string, byte[]>
        {
            [TemplateFile] = JsonSerializer.SerializeToUtf8Bytes(TemplateFor(request), new JsonSerializerOptions { WriteIndented = true }),
        };
        var version = ArtifactVersion.Of(files.Select(f => (f.Key, f.Value)));
        var manifest = new ArtifactManifest(
            request.Stack,
            version,
            request.Commit.Id,
            request.Commit.CommittedAt,
            request.Commit.Author,
            SourceTreeHash: null,
            ToolVersions: new Dictionary<string, string>(),
            BuiltAt: startedAt,
            Files: [.. files.Select(f => new ArtifactFile(f.Key, ArtifactVersion.Sha256Hex(f.Value), f.Value.LongLength))]);
        var manifestBlob = await artifacts.WriteAsync(manifest, files, cancellation);
        return new BuildResult(version, manifestBlob, startedAt, clock.GetUtcNow());
    }

    private static JsonObject TemplateFor(BuildRequest request) => new()
    {
        ["$schema"] = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        ["contentVersion"] = "1.0.0.0",
        ["metadata"] = new JsonObject { ["stack"] = request.Stack, ["commit"] = request.Commit.Id },
        ["resources"] = new JsonArray(),
    };
}
