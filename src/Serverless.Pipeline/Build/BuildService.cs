using System.Text;
using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Build;

/// <summary>
/// The build stage: turns a commit into the one immutable artifact that every later stage uses.
/// Fetches the stack at exactly the run's commit, reads delivery.yaml, compiles and lints the
/// template, checks every environment's parameters, writes the log, and stores the compiled template
/// and parameter files as a content-addressed, write-once artifact with its manifest.
/// </summary>
public sealed class BuildService(StackInspector inspector, ArtifactStore artifacts, LogStore logs, TimeProvider clock)
{
    public const string TemplateFile = "template.json";

    public static string ParametersFile(string environment) => $"parameters/{environment}.json";

    public async Task<BuildResult> BuildAsync(BuildRequest request, CancellationToken cancellation = default)
    {
        var startedAt = clock.GetUtcNow();
        var repository = request.Commit.Repository
                         ?? throw new PermanentStageFailure($"The run of {request.Stack} names no repository.");
        var inspection = await inspector.InspectAsync(repository, request.StackPath, request.Commit.Id, cancellation);
        var logBlob = await logs.WriteAsync(request.RunId, "build.log", inspection.Log, cancellation);
        if (!inspection.Succeeded) throw new BuildFailedException(inspection.Problems, logBlob);

        var files = new Dictionary<string, byte[]> { [TemplateFile] = Encoding.UTF8.GetBytes(inspection.CompiledTemplate!) };
        foreach (var (environment, content) in inspection.ParameterFiles) files[ParametersFile(environment)] = content;

        var version = ArtifactVersion.Of(files.Select(f => (f.Key, f.Value)));
        var source = inspection.Source;
        var manifest = new ArtifactManifest(
            request.Stack,
            version,
            source.Commit,
            source.CommittedAt,
            source.Author,
            source.TreeHash,
            inspection.ToolVersions,
            startedAt,
            [.. files.Select(f => new ArtifactFile(f.Key, ArtifactVersion.Sha256Hex(f.Value), f.Value.LongLength))]);
        var manifestBlob = await artifacts.WriteAsync(manifest, files, cancellation);
        return new BuildResult(version, manifestBlob, logBlob, inspection.ChangeType, source.CommittedAt, inspection.Definition!,
            startedAt, clock.GetUtcNow());
    }
}
