using System.Text;
using Serverless.Pipeline.Deploy;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Stacks;
using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Build;

/// <summary>
/// The build stage: turns a commit into the one immutable artifact that every later stage uses.
/// Fetches the stack at exactly the run's commit, reads delivery.yaml, compiles and lints the
/// template, checks every environment's parameters, writes the log, and stores the compiled template
/// and parameter files as a content-addressed, write-once artifact with its manifest.
/// </summary>
public sealed class BuildService(StackInspector inspector, ArtifactStore artifacts, LogStore logs, EnvironmentStore environments, TimeProvider clock)
{
    public const string TemplateFile = "template.json";

    public static string ParametersFile(string environment) => $"parameters/{environment}.json";

    public async Task<BuildResult> BuildAsync(BuildRequest request, CancellationToken cancellation = default)
    {
        var startedAt = clock.GetUtcNow();
        var repository = request.Commit.Repository
                         ?? throw new PermanentStageFailure($"The run of {request.Stack} names no repository.");
        var governance = request.Governance;
        var source = new SourceRequest(repository, request.Commit.Id, request.StackPath,
            await DeliveredSinceAsync(request, cancellation), governance.Production.Branch);
        var inspection = await inspector.InspectAsync(source, governance, cancellation);
        var logBlob = await logs.WriteAsync(request.RunId, "build.log", inspection.Log, cancellation);
        if (!inspection.Succeeded) throw new BuildFailedException(inspection.Problems, logBlob);

        var files = new Dictionary<string, byte[]> { [TemplateFile] = Encoding.UTF8.GetBytes(inspection.CompiledTemplate!) };
        foreach (var (environment, content) in inspection.ParameterFiles) files[ParametersFile(environment)] = content;

        var version = ArtifactVersion.Of(files.Select(f => (f.Key, f.Value)));
        var snapshot = inspection.Source;
        var manifest = new ArtifactManifest(
            request.Stack,
            version,
            snapshot.Commit,
            snapshot.CommittedAt,
            snapshot.Author,
            snapshot.TreeHash,
            inspection.ToolVersions,
            startedAt,
            [.. files.Select(f => new ArtifactFile(f.Key, ArtifactVersion.Sha256Hex(f.Value), f.Value.LongLength))]);
        var manifestBlob = await artifacts.WriteAsync(manifest, files, cancellation);
        var commit = new CommitInfo(snapshot.Commit, repository, snapshot.Message, snapshot.Author, snapshot.CommittedAt);
        return new BuildResult(version, manifestBlob, logBlob, inspection.ChangeType, inspection.Definition!,
            startedAt, clock.GetUtcNow(), commit, snapshot.DeliveredAuthors, snapshot.OnProductionBranch ?? false);
    }

    /// <summary>
    /// What the change is measured from: the commits production runs now (a change delivers everything since them), or
    /// before the first release the push's previous head; none for a first run started by hand (the commit's own diff).
    /// </summary>
    private async Task<IReadOnlyList<string>> DeliveredSinceAsync(BuildRequest request, CancellationToken cancellation)
    {
        var production = request.Governance.NamesOf(EnvironmentKind.Production).ToHashSet(StringComparer.Ordinal);
        var running = (await environments.ListAsync(request.Stack, cancellation))
            .Where(e => production.Contains(e.Environment) && RunId.TryParse(e.RunId, out _))
            .OrderByDescending(e => e.AppliedAt)
            .Select(e => RunId.TryParse(e.RunId, out var id) ? id.Commit : "")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (running.Count > 0) return running;
        return request.DeliveredSince is { } before && CommitId.IsFull(before) && !CommitId.IsZero(before) ? [before] : [];
    }
}
