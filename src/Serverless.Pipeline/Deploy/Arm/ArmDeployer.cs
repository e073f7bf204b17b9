using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.ResourceManager;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// The one deployer: ARM deployments at resource-group scope over Azure.ResourceManager's pipeline
/// (see <see cref="ArmChannel"/>), with deterministic names, long-running-operation polling
/// (<see cref="ArmRequestRunner"/>), Azure.Core's retries (<see cref="ArmRetryPolicy"/>), outputs captured and ARM errors flattened
/// into readable messages. Works the same against Azure and against the LocalArm test double.
/// </summary>
public sealed class ArmDeployer(ArmClient client, IOptions<ArmOptions> options, TimeProvider time, ILogger<ArmDeployer> logger) : IArmDeployer
{
    private readonly ArmOptions settings = options.Value;
    private readonly ArmRequestRunner runner = new(options.Value, time);

    public async Task<ArmDeploymentOutcome> DeployAsync(ArmDeploymentRequest request, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request.SubscriptionId, request.ResourceGroup, request.Location, request.DeploymentName);
        var content = DeploymentContent.Read(request.Template, request.Parameters);
        var deadline = ArmDeadline.After(time, settings.DeploymentTimeout);
        var channel = ArmChannel.For(client, request.SubscriptionId);
        var label = $"ARM deployment '{request.DeploymentName}' to resource group '{request.ResourceGroup}'";
        var url = ArmPaths.Deployment(settings, request.SubscriptionId, request.ResourceGroup, request.DeploymentName);

        var created = await EnsureResourceGroupAsync(channel, request, deadline, cancellation);
        var existing = await ReadDeploymentAsync(channel, url, deadline, label, cancellation);
        if (existing is not null && !IsTerminal(State(existing)))
        {
            logger.LogInformation("{Deployment} is already {State}: waiting for it instead of deploying again", label, State(existing));
            existing = await WaitForDeploymentAsync(channel, url, null, deadline, label, cancellation);
        }
        if (existing is not null && State(existing) == "Succeeded" && DeploymentContent.FingerprintOf(existing) == content.Fingerprint)
        {
            logger.LogInformation("{Deployment} already succeeded with the same template and parameters: not deployed again", label);
            return Outcome(existing, request, reused: true, created);
        }

        var put = await runner.SendAsync(channel, RequestMethod.Put, url, content.DeploymentBody(), deadline, label, cancellation);
        if (put.Status == 409 && string.Equals(put.Error?.Code, "DeploymentActive", StringComparison.OrdinalIgnoreCase))
        {
            // Another call started a deployment under this name since it was read: wait for it, and leave the
            // decision to deploy again to the next attempt of the activity, which reads it afresh.
            logger.LogInformation("{Deployment}: another deployment under this name is still active; waiting for it", label);
            var other = await WaitForDeploymentAsync(channel, url, null, deadline, label, cancellation);
            if (State(other) == "Succeeded" && DeploymentContent.FingerprintOf(other) == content.Fingerprint)
                return Outcome(other, request, reused: true, created);
            throw new TransientArmException($"{label}: another deployment under this name was active and ended {State(other) ?? "Unknown"}; a retry deploys again.", put.Error, put.Status);
        }
        ArmRequestRunner.EnsureSuccess(put, label);
        logger.LogInformation("{Deployment}: ARM answered {Status} ({State})", label, put.Status, State(put.Body) ?? "no state");
        var final = await WaitAfterPutAsync(channel, url, put, deadline, label, cancellation);
        var reused = existing is not null && CorrelationId(existing) is { } before && before == CorrelationId(final);
        return Finish(final, request, label, reused, created);
    }

    public async Task<WhatIfOutcome> WhatIfAsync(ArmDeploymentRequest request, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request.SubscriptionId, request.ResourceGroup, request.Location, request.DeploymentName);
        var content = DeploymentContent.Read(request.Template, request.Parameters);
        var deadline = ArmDeadline.After(time, settings.DeploymentTimeout);
        var channel = ArmChannel.For(client, request.SubscriptionId);
        var label = $"ARM what-if of '{request.DeploymentName}' in resource group '{request.ResourceGroup}'";
        var url = ArmPaths.WhatIf(settings, request.SubscriptionId, request.ResourceGroup, request.DeploymentName);

        var reply = await runner.SendAsync(channel, RequestMethod.Post, url, content.WhatIfBody(), deadline, label, cancellation);
        if (reply.Status == 404 && string.Equals(reply.Error?.Code, "ResourceGroupNotFound", StringComparison.OrdinalIgnoreCase))
            return new WhatIfOutcome([], ResourceGroupExists: false);
        ArmRequestRunner.EnsureSuccess(reply, label);
        if (reply.Status == 202)
        {
            if (!ArmPaths.SameOrigin(channel.BaseUri, reply.Header("Location") ?? reply.Header("Azure-AsyncOperation"), out var location))
                throw new PermanentArmException($"{label}: ARM answered 202 without a Location on its own endpoint to poll.");
            reply = await runner.PollAsync(channel, location, reply,
                r => r.Status != 202 && !IsRunningStatus(Text(r.Body?["status"])), deadline, label,
                () => $"{label} was still running after {settings.DeploymentTimeout}.", cancellation);
            ArmRequestRunner.EnsureSuccess(reply, label);
        }
        var body = reply.Body;
        if (Text(body?["status"]) is { } status && !string.Equals(status, "Succeeded", StringComparison.OrdinalIgnoreCase))
        {
            var error = ArmError.FromNode(body?["error"]) ?? new ArmError(status, "ARM reported the what-if as " + status + " without an error.", null, []);
            throw Failure($"{label} ended {status}:\n{error.Describe()}", error);
        }
        var changes = (body?["properties"]?["changes"] as JsonArray ?? []).OfType<JsonObject>().Select(ReadChange).ToList();
        return new WhatIfOutcome(changes, ResourceGroupExists: true);
    }

    public async Task DeleteResourceGroupAsync(string subscriptionId, string resourceGroup, CancellationToken cancellation = default)
    {
        Validate(subscriptionId, resourceGroup, location: "-", deploymentName: "-");
        var deadline = ArmDeadline.After(time, settings.DeploymentTimeout);
        var channel = ArmChannel.For(client, subscriptionId);
        var label = $"Deleting resource group '{resourceGroup}'";
        var url = ArmPaths.ResourceGroup(settings, subscriptionId, resourceGroup);

        var reply = await runner.SendAsync(channel, RequestMethod.Delete, url, null, deadline, label, cancellation);
        if (reply.Status == 404)
            return;
        ArmRequestRunner.EnsureSuccess(reply, label);
        if (reply.Status != 202)
            return;
        string StillRunning() => $"{label} was still running after {settings.DeploymentTimeout}.";
        var done = ArmPaths.SameOrigin(channel.BaseUri, reply.Header("Location"), out var location)
            ? await runner.PollAsync(channel, location, reply, r => r.Status != 202, deadline, label, StillRunning, cancellation)
            : await runner.PollAsync(channel, url, reply, r => r.Status == 404, deadline, label, StillRunning, cancellation);
        if (done.Status != 404)
            ArmRequestRunner.EnsureSuccess(done, label);
        logger.LogInformation("Resource group {ResourceGroup} deleted", resourceGroup);
    }

    public async Task<bool> ResourceGroupExistsAsync(string subscriptionId, string resourceGroup, CancellationToken cancellation = default)
    {
        Validate(subscriptionId, resourceGroup, location: "-", deploymentName: "-");
        var deadline = ArmDeadline.After(time, settings.DeploymentTimeout);
        return await ExistsAsync(ArmChannel.For(client, subscriptionId), subscriptionId, resourceGroup, deadline, cancellation);
    }

    private async Task<bool> ExistsAsync(ArmChannel channel, string subscriptionId, string resourceGroup, ArmDeadline deadline, CancellationToken cancellation)
    {
        var label = $"Reading resource group '{resourceGroup}'";
        var reply = await runner.SendAsync(channel, RequestMethod.Head, ArmPaths.ResourceGroup(settings, subscriptionId, resourceGroup), null, deadline, label, cancellation);
        if (reply.Status == 404)
            return false;
        ArmRequestRunner.EnsureSuccess(reply, label);
        return true;
    }

    /// <summary>Creates the resource group (location and tags) when it does not exist; true when it did not.</summary>
    private async Task<bool> EnsureResourceGroupAsync(ArmChannel channel, ArmDeploymentRequest request, ArmDeadline deadline, CancellationToken cancellation)
    {
        if (await ExistsAsync(channel, request.SubscriptionId, request.ResourceGroup, deadline, cancellation))
            return false;
        var body = new JsonObject { ["location"] = request.Location };
        if (request.Tags is { Count: > 0 } tags)
            body["tags"] = new JsonObject([.. tags.Select(t => KeyValuePair.Create<string, JsonNode?>(t.Key, t.Value))]);
        var label = $"Creating resource group '{request.ResourceGroup}' in {request.Location}";
        var reply = await runner.SendAsync(channel, RequestMethod.Put, ArmPaths.ResourceGroup(settings, request.SubscriptionId, request.ResourceGroup), body, deadline, label, cancellation);
        ArmRequestRunner.EnsureSuccess(reply, label);
        logger.LogInformation("Resource group {ResourceGroup} created in {Location}", request.ResourceGroup, request.Location);
        return true;
    }

    /// <summary>The deployment under this name, or null when there is none.</summary>
    private async Task<JsonNode?> ReadDeploymentAsync(ArmChannel channel, Uri url, ArmDeadline deadline, string label, CancellationToken cancellation)
    {
        var reply = await runner.SendAsync(channel, RequestMethod.Get, url, null, deadline, label, cancellation);
        if (reply.Status == 404)
            return null;
        return ArmRequestRunner.EnsureSuccess(reply, label).Body;
    }

    /// <summary>Follows the PUT's Azure-AsyncOperation (on ARM's own endpoint) to the end, then reads the deployment.</summary>
    private async Task<JsonNode?> WaitAfterPutAsync(ArmChannel channel, Uri url, ArmReply put, ArmDeadline deadline, string label, CancellationToken cancellation)
    {
        if (IsTerminal(State(put.Body)))
            return put.Body;
        if (ArmPaths.SameOrigin(channel.BaseUri, put.Header("Azure-AsyncOperation"), out var statusUrl))
        {
            var status = await runner.PollAsync(channel, statusUrl, put, r => IsTerminal(Text(r.Body?["status"])), deadline, label,
                () => StillRunning(label, "Running"), cancellation);
            if (status.Status != 404)
                ArmRequestRunner.EnsureSuccess(status, label);
            var deployment = await ReadDeploymentAsync(channel, url, deadline, label, cancellation);
            if (IsTerminal(State(deployment)))
                return deployment;
        }
        return await WaitForDeploymentAsync(channel, url, put, deadline, label, cancellation);
    }

    /// <summary>Polls the deployment itself until it ends (a replay has no operation URL to follow).</summary>
    private async Task<JsonNode?> WaitForDeploymentAsync(ArmChannel channel, Uri url, ArmReply? started, ArmDeadline deadline, string label, CancellationToken cancellation)
    {
        var last = "Running";
        var reply = await runner.PollAsync(channel, url, started ?? NoHint, r =>
        {
            last = State(r.Body) ?? last;
            return IsTerminal(State(r.Body));
        }, deadline, label, () => StillRunning(label, last), cancellation);
        return ArmRequestRunner.EnsureSuccess(reply, label).Body;
    }

    private ArmDeploymentOutcome Finish(JsonNode? deployment, ArmDeploymentRequest request, string label, bool reused, bool created)
    {
        var state = State(deployment) ?? "Unknown";
        if (state == "Succeeded")
        {
            logger.LogInformation("{Deployment} succeeded", label);
            return Outcome(deployment, request, reused, created);
        }
        var error = ArmError.FromNode(deployment?["properties"]?["error"])
            ?? new ArmError("DeploymentFailed", $"ARM reported the deployment as {state} without an error.", null, []);
        var resources = error.FailedResources().Select(id => ArmError.ShortResource(id) ?? id).ToList();
        var where = resources.Count > 0 ? $" on {string.Join(", ", resources)}" : "";
        var correlation = CorrelationId(deployment) is { } id ? $" (correlation id {id})" : "";
        var message = $"{label} ended {state}{where}{correlation}:\n{error.Describe()}";
        logger.LogWarning("{Message}", message);
        throw state == "Failed" ? Failure(message, error) : new PermanentArmException(message, error);
    }

    private static Exception Failure(string message, ArmError error) =>
        ArmFailures.IsTransient(error) ? new TransientArmException(message, error) : new PermanentArmException(message, error);

    private static ArmDeploymentOutcome Outcome(JsonNode? deployment, ArmDeploymentRequest request, bool reused, bool created)
    {
        var properties = deployment?["properties"];
        var outputs = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (properties?["outputs"] is JsonObject declared)
        {
            foreach (var (name, output) in declared)
                outputs[name] = Element(output is JsonObject o && o.ContainsKey("value") ? o["value"] : output);
        }
        var timestamp = DateTimeOffset.TryParse(Text(properties?["timestamp"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
        return new ArmDeploymentOutcome(
            Text(deployment?["id"]) ?? "",
            Text(deployment?["name"]) ?? request.DeploymentName,
            State(deployment) ?? "Unknown",
            outputs,
            CorrelationId(deployment),
            timestamp,
            Text(properties?["duration"]),
            reused,
            created);
    }

    private static WhatIfChange ReadChange(JsonObject change)
    {
        var type = Enum.TryParse<WhatIfChangeType>(Text(change["changeType"]), ignoreCase: true, out var parsed) ? parsed : WhatIfChangeType.Unsupported;
        var paths = (change["delta"] as JsonArray ?? []).Select(d => Text(d?["path"])).OfType<string>().ToList();
        return new WhatIfChange(Text(change["resourceId"]) ?? "", type, paths);
    }

    private static void Validate(string subscriptionId, string resourceGroup, string location, string deploymentName)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(subscriptionId) || subscriptionId.Contains('/', StringComparison.Ordinal))
            problems.Add($"the subscription id '{subscriptionId}' is not valid");
        if (string.IsNullOrWhiteSpace(resourceGroup) || resourceGroup.Length > 90 || resourceGroup.Contains('/', StringComparison.Ordinal) || resourceGroup.EndsWith('.'))
            problems.Add($"the resource group name '{resourceGroup}' is not valid (1 to 90 characters, no '/', not ending in '.')");
        if (string.IsNullOrWhiteSpace(location))
            problems.Add("the location is empty");
        if (deploymentName != "-" && !DeploymentName.IsValid(deploymentName))
            problems.Add($"the deployment name '{deploymentName}' is not valid (1 to 64 letters, digits, '-', '_', '.', '(', ')'; use DeploymentName.For)");
        if (problems.Count > 0)
            throw new PermanentArmException($"Invalid ARM request: {string.Join("; ", problems)}.");
    }

    private string StillRunning(string label, string state) =>
        $"{label} is still {state} after the deployer's timeout of {settings.DeploymentTimeout}. It keeps running in Azure; a retry with the same deployment name waits for it instead of deploying again.";

    private static readonly ArmReply NoHint = new(200, null, "", new Dictionary<string, string>());

    private static bool IsTerminal(string? state) => state is not null && (state.Equals("Succeeded", StringComparison.OrdinalIgnoreCase)
        || state.Equals("Failed", StringComparison.OrdinalIgnoreCase) || state.Equals("Canceled", StringComparison.OrdinalIgnoreCase));

    private static bool IsRunningStatus(string? status) => status is not null && !IsTerminal(status);

    private static string? State(JsonNode? deployment) => Text(deployment?["properties"]?["provisioningState"]);

    private static string? CorrelationId(JsonNode? deployment) => Text(deployment?["properties"]?["correlationId"]);

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static JsonElement Element(JsonNode? node)
    {
        using var document = JsonDocument.Parse(node?.ToJsonString() ?? "null");
        return document.RootElement.Clone();
    }
}
