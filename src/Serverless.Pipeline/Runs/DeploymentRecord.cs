namespace Serverless.Pipeline.Runs;

/// <summary>One application of an artifact version to one environment, timed by the deployer's own clock.</summary>
/// <param name="DowntimeSeconds">Seconds the environment's health URL was unavailable during the deployment, when it has one.</param>
/// <param name="LogBlob">The deployment's log: ARM's answer, outputs, checks and their evidence.</param>
public sealed record DeploymentRecord(
    string Environment,
    StageKind Kind,
    string Version,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string? ResourceGroup = null,
    string? DeploymentName = null,
    double? DowntimeSeconds = null,
    string? LogBlob = null);
