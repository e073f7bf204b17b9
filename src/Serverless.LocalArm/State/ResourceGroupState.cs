using System.Text.Json.Nodes;
using Serverless.LocalArm.Templates;

namespace Serverless.LocalArm.State;

/// <summary>One resource group: its resources as last deployed, its deployments and its counters.</summary>
internal sealed class ResourceGroupState(string subscriptionId, string name, string location)
{
    public string SubscriptionId { get; } = subscriptionId;

    public string Name { get; } = name;

    public string Location { get; set; } = location;

    public JsonObject? Tags { get; set; }

    public string Id => $"/subscriptions/{SubscriptionId}/resourceGroups/{Name}";

    public Dictionary<string, TemplateResource> Resources { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, DeploymentRecord> Deployments { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Deployments started here (a repeated PUT of the same deployment does not count).</summary>
    public int DeploymentsStarted { get; set; }

    public int Succeeded { get; set; }

    public int Failed { get; set; }

    public DeploymentScope Scope(string deploymentName) => new(SubscriptionId, Name, Location, deploymentName);

    /// <summary>Complete mode: the group keeps only what the deployment puts in it.</summary>
    public void Clear() => Resources.Clear();

    public void Put(TemplateResource resource) => Resources[resource.Id] = resource;

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["name"] = Name,
        ["type"] = "Microsoft.Resources/resourceGroups",
        ["location"] = Location,
        ["tags"] = Tags?.DeepClone() ?? new JsonObject(),
        ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
    };
}
