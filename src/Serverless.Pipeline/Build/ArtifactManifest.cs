namespace Serverless.Pipeline.Build;

/// <summary>One file of an artifact with the hash of its bytes.</summary>
public sealed record ArtifactFile(string Name, string Sha256, long Size);

/// <summary>What an artifact is and where it came from; written once, next to its files.</summary>
public sealed record ArtifactManifest(
    string Stack,
    string Version,
    string Commit,
    DateTimeOffset? CommittedAt,
    string? Author,
    string? SourceTreeHash,
    IReadOnlyDictionary<string, string> ToolVersions,
    DateTimeOffset BuiltAt,
    IReadOnlyList<ArtifactFile> Files);
