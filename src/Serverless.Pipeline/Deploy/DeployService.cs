using System.Text;
using System.Text.Json;
using Serverless.Pipeline.Build;
using Serverless.Pipeline.Definition;
using Serverless.Pipeline.Deploy.Arm;
using Serverless.Pipeline.Metrics;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Deploy;

/// <summary>
/// Applies a verified artifact to one environment through Azure Resource Manager, watches the
/// environment's health URL while it does, runs the online checks after a test deployment, and
/// records the version the environment now runs. A failed check stops the run and keeps its evidence.
/// </summary>
public sealed class DeployService(
    ArtifactStore artifacts,
    EnvironmentStore environments,
    IArmDeployer arm,
    HealthProbe health,
    LogStore logs,
    DeliveryRecorder metrics,
    TimeProvider clock)
{
    private static readonly TimeSpan HealthInterval = TimeSpan.FromMilliseconds(500);

    public async Task<DeploymentRecord> DeployAsync(DeploymentRequest request, CancellationToken cancellation = default)
    {
        var startedAt = clock.GetUtcNow();
        var log = new StringBuilder($"Deployment of {request.Stack} {request.Version} to {request.Environment} ({request.Kind}), run {request.RunId}\n");
        var artifact = await artifacts.ReadVerifiedAsync(request.Stack, request.Version, cancellation);
        var parametersFile = BuildService.ParametersFile(request.Environment);
        if (request.Target.ParametersFile is not null && !artifact.Files.ContainsKey(parametersFile))
            throw new ArtifactIntegrityException($"Artifact {request.Stack} {request.Version} has no parameters for {request.Environment}.");
        log.AppendLine($"Artifact verified: {artifact.Files.Count} file(s) match version {request.Version}.");

        var deployment = new ArmDeploymentRequest(
            request.Target.Subscription,
            request.TargetResourceGroup,
            request.Target.Location,
            DeploymentName.For(request.RunId, request.Environment, request.Attempt),
            Encoding.UTF8.GetString(artifact.Files[BuildService.TemplateFile]),
            artifact.Files.TryGetValue(parametersFile, out var parameters) ? Encoding.UTF8.GetString(parameters) : null,
            new Dictionary<string, string> { ["stack"] = request.Stack, ["environment"] = request.Environment, ["deliveredBy"] = "serverless-pipeline" });
        log.AppendLine($"ARM: subscription {deployment.SubscriptionId}, resource group {deployment.ResourceGroup}, deployment {deployment.DeploymentName}");

        var applying = arm.DeployAsync(deployment, cancellation);
        AvailabilityReport? availability = null;
        if (request.Target.HealthUrl is { } healthUrl)
            availability = await health.WatchAsync(new Uri(healthUrl), applying, HealthInterval, cancellation: cancellation);
        if (availability?.Refusal is { } refusal)
        {
            log.AppendLine($"Health of {availability.Url}: not watched, {refusal}; no downtime is recorded.");
            availability = null;
        }
        ArmDeploymentOutcome outcome;
        try
        {
            outcome = await applying;
        }
        catch (Exception e) when (e is PermanentArmException or ArmRetriesExhaustedException or TransientArmException)
        {
            log.AppendLine($"ARM failed: {e.Message}");
            await logs.WriteAsync(request.RunId, LogName(request), log.ToString(), cancellation);
            // A failed deployment is still a deployment: the downtime seen meanwhile counts. A transient failure is
            // retried by the orchestrator (and measured then), so only a final one is recorded here, once.
            if (e is not TransientArmException) await RecordDowntimeAsync(request, availability, clock.GetUtcNow(), cancellation);
            throw;
        }
        var finishedAt = clock.GetUtcNow();
        log.AppendLine($"ARM: {outcome.ProvisioningState}{(outcome.Reused ? " (found the deployment of an earlier attempt)" : "")}, duration {outcome.Duration}, correlation {outcome.CorrelationId}");
        log.AppendLine($"Outputs: {JsonSerializer.Serialize(outcome.Outputs)}");
        if (availability is not null)
            log.AppendLine($"Health of {availability.Url}: {availability.UnavailableSeconds:0.0} s unavailable over {availability.Probes} probes");

        if (request.Kind == StageKind.Test && request.Checks is { } checks)
            await CheckAsync(request, checks, deployment, outcome, log, cancellation);

        var logBlob = await logs.WriteAsync(request.RunId, LogName(request), log.ToString(), cancellation);
        await environments.RecordAppliedAsync(request.Stack, request.Environment, request.Version, request.RunId, finishedAt, cancellation);
        await RecordDowntimeAsync(request, availability, finishedAt, cancellation);
        return new DeploymentRecord(request.Environment, request.Kind, request.Version, startedAt, finishedAt,
            deployment.ResourceGroup, deployment.DeploymentName, availability?.UnavailableSeconds, logBlob);
    }

    private async Task RecordDowntimeAsync(DeploymentRequest request, AvailabilityReport? availability, DateTimeOffset at, CancellationToken cancellation)
    {
        if (availability is null) return;
        await metrics.RecordDowntimeAsync(request.Stack,
            new DowntimeFact(request.RunId, request.Environment, request.ChangeType, availability.UnavailableSeconds, at), cancellation);
    }

    private async Task CheckAsync(DeploymentRequest request, OnlineChecks checks, ArmDeploymentRequest deployment,
        ArmDeploymentOutcome outcome, StringBuilder log, CancellationToken cancellation)
    {
        var failures = new List<string>();
        foreach (var probe in checks.Http)
        {
            var result = await health.ProbeAsync(probe, outcome.Outputs, cancellation);
            log.AppendLine($"Check {probe.Name}: {(result.Passed ? "passed" : "FAILED")}").AppendLine(result.Evidence);
            if (!result.Passed)
                failures.Add($"probe {probe.Name} of {result.Url?.ToString() ?? "(no URL)"} {(result.Refusal is { } refusal ? $"was not sent: {refusal}" : "failed")}");
        }
        if (checks.WhatIfNoChanges)
        {
            var whatIf = await arm.WhatIfAsync(deployment, cancellation);
            var changes = whatIf.Changes.Where(c => c.IsChange).ToList();
            log.AppendLine($"Check what-if: {(changes.Count == 0 ? "no changes" : $"{changes.Count} change(s)")}");
            foreach (var change in changes) log.AppendLine($"  {change.ChangeType} {change.ResourceId} {string.Join(", ", change.ChangedProperties)}");
            if (changes.Count > 0) failures.Add($"what-if shows {changes.Count} change(s) right after the deployment (drift or a non-idempotent template)");
        }
        if (failures.Count == 0) return;

        var logBlob = await logs.WriteAsync(request.RunId, LogName(request), log.ToString(), cancellation);
        throw new PermanentStageFailure($"online checks failed: {string.Join("; ", failures)} [log: {logBlob}]");
    }

    private static string LogName(DeploymentRequest request) => $"deploy-{request.Environment}-{request.Attempt}.log";
}
