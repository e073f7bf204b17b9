using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml;
using Serverless.LocalArm.Faults;
using Serverless.LocalArm.Http;
using Serverless.LocalArm.Templates;

namespace Serverless.LocalArm.State;

/// <summary>
/// One deployment and its lifecycle: Accepted when put, Running until <see cref="CompletesAt"/>,
/// then Succeeded (its resources become the group's) or Failed (a FailResource fault). The state
/// advances when someone looks, under the state's lock.
/// </summary>
internal sealed class DeploymentRecord
{
    public required string Name { get; init; }

    public required ResourceGroupState Group { get; init; }

    public required JsonObject Template { get; init; }

    public required JsonObject? Parameters { get; init; }

    public required string Mode { get; init; }

    public required string? Location { get; init; }

    public required TemplateModel Model { get; init; }

    /// <summary>The groups the model's resources go to, by group id (the own group among them).</summary>
    public required IReadOnlyDictionary<string, ResourceGroupState> Targets { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset CompletesAt { get; init; }

    public (TemplateResource Resource, FaultRule Rule)? Failing { get; init; }

    public string CorrelationId { get; } = Guid.NewGuid().ToString();

    public string OperationId { get; } = Guid.NewGuid().ToString("N").ToUpperInvariant()[..16];

    public string ProvisioningState { get; private set; } = "Accepted";

    public DateTimeOffset? FinishedAt { get; private set; }

    public JsonObject? Error { get; private set; }

    public string Id => $"{Group.Id}/providers/Microsoft.Resources/deployments/{Name}";

    public bool IsTerminal => ProvisioningState is "Succeeded" or "Failed";

    /// <summary>True when a PUT asks for exactly this deployment again.</summary>
    public bool SameRequest(JsonObject template, JsonObject? parameters, string mode) =>
        JsonNode.DeepEquals(Template, template)
        && JsonNode.DeepEquals(Parameters ?? [], parameters ?? [])
        && string.Equals(Mode, mode, StringComparison.OrdinalIgnoreCase);

    public void Advance(DateTimeOffset now)
    {
        if (IsTerminal)
            return;
        if (now < CompletesAt)
        {
            ProvisioningState = "Running";
            return;
        }
        FinishedAt = CompletesAt;
        var complete = string.Equals(Mode, "Complete", StringComparison.OrdinalIgnoreCase);
        if (Failing is { } failing)
        {
            ProvisioningState = "Failed";
            Error = FailureError(failing.Resource, failing.Rule);
            Group.Failed++;
            Apply(Model.Resources.Where(Attempted).Where(r => r != failing.Resource), complete: false);
        }
        else
        {
            ProvisioningState = "Succeeded";
            Group.Succeeded++;
            Apply(Model.Resources, complete);
        }
    }

    /// <summary>False for a resource that waits for the failing one: ARM never starts it.</summary>
    private bool Attempted(TemplateResource resource) =>
        ProvisioningState != "Failed" || Failing is not { } failing || !resource.DependsOn.Contains(failing.Resource.Id);

    /// <summary>Each resource goes to its group; Complete mode replaces what the deployment's own group holds.</summary>
    private void Apply(IEnumerable<TemplateResource> resources, bool complete)
    {
        if (complete)
            Group.Clear();
        foreach (var resource in resources)
            (Targets.GetValueOrDefault(ResourceIds.GroupOf(resource.Id) ?? Group.Id) ?? Group).Put(resource);
    }

    public JsonObject ToJson(DateTimeOffset now)
    {
        var properties = new JsonObject
        {
            ["templateHash"] = TemplateHash(),
            ["parameters"] = Model.Parameters.DeepClone(),
            ["mode"] = Mode,
            ["provisioningState"] = ProvisioningState,
            ["timestamp"] = ArmJson.Time(FinishedAt ?? StartedAt),
            ["duration"] = XmlConvert.ToString((FinishedAt ?? now) - StartedAt),
            ["correlationId"] = CorrelationId,
            ["providers"] = new JsonArray(),
            ["dependencies"] = new JsonArray(),
        };
        if (ProvisioningState == "Succeeded")
        {
            properties["outputs"] = Model.Outputs.DeepClone();
            properties["outputResources"] = new JsonArray([.. Model.Resources.Select(r => new JsonObject { ["id"] = r.Id })]);
        }
        if (Error is not null)
            properties["error"] = Error.DeepClone();
        var deployment = new JsonObject
        {
            ["id"] = Id,
            ["name"] = Name,
            ["type"] = "Microsoft.Resources/deployments",
        };
        if (Location is not null)
            deployment["location"] = Location;
        deployment["properties"] = properties;
        return deployment;
    }

    /// <summary>The body of the Azure-AsyncOperation status URL.</summary>
    public JsonObject StatusJson()
    {
        var status = new JsonObject
        {
            ["id"] = $"{Id}/operationStatuses/{OperationId}",
            ["name"] = OperationId,
            ["status"] = ProvisioningState == "Accepted" ? "Running" : ProvisioningState,
            ["startTime"] = ArmJson.Time(StartedAt),
        };
        if (FinishedAt is { } finished)
            status["endTime"] = ArmJson.Time(finished);
        if (Error is not null)
            status["error"] = Error.DeepClone();
        return status;
    }

    /// <summary>The deployment operations list: one operation per resource.</summary>
    public JsonObject OperationsJson(DateTimeOffset now)
    {
        var operations = new JsonArray();
        for (var i = 0; i < Model.Resources.Count; i++)
        {
            var resource = Model.Resources[i];
            if (!Attempted(resource))
                continue;
            var failed = ProvisioningState == "Failed" && Failing?.Resource == resource;
            var state = !IsTerminal ? "Running" : failed ? "Failed" : "Succeeded";
            var operationId = $"{OperationId}{i:X4}";
            var properties = new JsonObject
            {
                ["provisioningOperation"] = "Create",
                ["provisioningState"] = state,
                ["timestamp"] = ArmJson.Time(FinishedAt ?? now),
                ["duration"] = XmlConvert.ToString((FinishedAt ?? now) - StartedAt),
                ["trackingId"] = $"{CorrelationId[..24]}{i:x12}",
                ["statusCode"] = !IsTerminal ? null : failed ? "Conflict" : "OK",
                ["targetResource"] = new JsonObject
                {
                    ["id"] = resource.Id,
                    ["resourceType"] = resource.Type,
                    ["resourceName"] = resource.Name,
                },
            };
            if (failed && Error?["details"]?[0] is JsonNode detail)
                properties["statusMessage"] = new JsonObject { ["status"] = "Failed", ["error"] = detail.DeepClone() };
            operations.Add(new JsonObject
            {
                ["id"] = $"{Id}/operations/{operationId}",
                ["operationId"] = operationId,
                ["properties"] = properties,
            });
        }
        return new JsonObject { ["value"] = operations };
    }

    private JsonObject FailureError(TemplateResource resource, FaultRule rule)
    {
        var cause = new JsonArray(new JsonObject
        {
            ["code"] = "LocalArmInjectedFault",
            ["message"] = rule.Message ?? $"The resource '{resource.Type}/{resource.Name}' failed because a LocalArm FailResource fault was set.",
        });
        var detail = new JsonObject
        {
            ["code"] = "ResourceDeploymentFailure",
            ["target"] = resource.Id,
            ["message"] = $"The resource write operation failed to complete successfully, because it reached terminal provisioning state 'Failed'. Resource: '{resource.Type}/{resource.Name}'.",
            ["details"] = cause,
        };
        return new JsonObject
        {
            ["code"] = "DeploymentFailed",
            ["target"] = Id,
            ["message"] = "At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.",
            ["details"] = new JsonArray(detail),
        };
    }

    private string TemplateHash()
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Template.ToJsonString()));
        return BitConverter.ToUInt64(hash, 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
