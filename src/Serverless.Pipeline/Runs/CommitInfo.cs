namespace Serverless.Pipeline.Runs;

/// <summary>The change a run delivers.</summary>
public sealed record CommitInfo(
    string Id,
    string? Repository = null,
    string? Message = null,
    string? Author = null,
    DateTimeOffset? CommittedAt = null);
