namespace Serverless.Pipeline.Runs;

/// <summary>One application of an artifact version to one environment, timed by the deployer's own clock.</summary>
public sealed record DeploymentRecord(
    string Environment,
    StageKind Kind,
    string Version,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt);
