using System.Text.Json.Nodes;
using Serverless.LocalArm.Faults;
using Serverless.LocalArm.Templates;

namespace Serverless.LocalArm.State;

/// <summary>A deployment PUT's outcome.</summary>
internal enum PutOutcome
{
    /// <summary>A new deployment started (it counts).</summary>
    Started,

    /// <summary>The same deployment was asked for again; the existing one is returned (it does not count).</summary>
    Existing,

    GroupNotFound,

    /// <summary>A different deployment with this name is still running.</summary>
    Active,

    InvalidTemplate,
}

internal sealed record DeploymentPut(PutOutcome Outcome, DeploymentRecord? Deployment = null, JsonObject? Body = null, TemplateException? Error = null);

/// <summary>
/// Everything the test double remembers, in memory, behind one lock: resource groups, their
/// deployments and deployed resources, operation statuses and what-if results.
/// </summary>
public sealed class ArmState(TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, ResourceGroupState> groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, DeploymentRecord> operations = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, WhatIfRecord> whatIfs = new(StringComparer.OrdinalIgnoreCase);

    internal TimeProvider Time { get; } = time;

    public LocalArmStats Stats()
    {
        lock (gate)
        {
            var now = Time.GetUtcNow();
            var list = groups.Values.Select(g =>
            {
                foreach (var deployment in g.Deployments.Values)
                    deployment.Advance(now);
                return new ResourceGroupStats(g.SubscriptionId, g.Name, g.DeploymentsStarted, g.Succeeded, g.Failed,
                    g.Deployments.Values.Count(d => !d.IsTerminal), [.. g.Resources.Keys.Order(StringComparer.OrdinalIgnoreCase)]);
            }).ToList();
            return new LocalArmStats(list.Sum(g => g.Deployments), list);
        }
    }

    /// <summary>The resources a group holds, as last deployed (empty when there is no such group).</summary>
    public IReadOnlyList<TemplateResource> Resources(string subscriptionId, string resourceGroup)
    {
        lock (gate)
        {
            if (!groups.TryGetValue(Key(subscriptionId, resourceGroup), out var group))
                return [];
            var now = Time.GetUtcNow();
            foreach (var deployment in group.Deployments.Values)
                deployment.Advance(now);
            return [.. group.Resources.Values.OrderBy(r => r.Id, StringComparer.OrdinalIgnoreCase)];
        }
    }

    internal (JsonObject Body, bool Created) PutResourceGroup(string subscriptionId, string name, string location, JsonObject? tags)
    {
        lock (gate)
        {
            var created = !groups.TryGetValue(Key(subscriptionId, name), out var group);
            if (group is null)
            {
                group = new ResourceGroupState(subscriptionId, name, location);
                groups[Key(subscriptionId, name)] = group;
            }
            group.Location = location;
            group.Tags = tags;
            return (group.ToJson(), created);
        }
    }

    internal JsonObject? GetResourceGroup(string subscriptionId, string name)
    {
        lock (gate)
            return groups.GetValueOrDefault(Key(subscriptionId, name))?.ToJson();
    }

    internal JsonArray ListResourceGroups(string subscriptionId)
    {
        lock (gate)
            return new JsonArray([.. groups.Values.Where(g => string.Equals(g.SubscriptionId, subscriptionId, StringComparison.OrdinalIgnoreCase)).Select(g => g.ToJson())]);
    }

    internal bool DeleteResourceGroup(string subscriptionId, string name)
    {
        lock (gate)
            return groups.Remove(Key(subscriptionId, name));
    }

    internal DeploymentPut PutDeployment(
        string subscriptionId, string resourceGroup, string name, JsonObject template, JsonObject? parameters,
        string mode, string? location, FaultSwitches faults, string path, TimeSpan minimumDuration)
    {
        lock (gate)
        {
            if (!groups.TryGetValue(Key(subscriptionId, resourceGroup), out var group))
                return new DeploymentPut(PutOutcome.GroupNotFound);
            var now = Time.GetUtcNow();
            if (group.Deployments.TryGetValue(name, out var existing))
            {
                existing.Advance(now);
                // The same request again returns the deployment as it is, unless it failed: a
                // failed deployment put again is a retry and runs again.
                if (existing.SameRequest(template, parameters, mode) && existing.ProvisioningState != "Failed")
                    return new DeploymentPut(PutOutcome.Existing, existing, existing.ToJson(now));
                if (!existing.IsTerminal)
                    return new DeploymentPut(PutOutcome.Active, existing);
            }
            TemplateModel model;
            try
            {
                model = TemplateModel.Read(template, parameters, group.Scope(name), new Directory(this));
            }
            catch (TemplateException e)
            {
                return new DeploymentPut(PutOutcome.InvalidTemplate, Error: e);
            }
            var deployment = new DeploymentRecord
            {
                Name = existing?.Name ?? name,
                Group = group,
                Template = (JsonObject)template.DeepClone(),
                Parameters = (JsonObject?)parameters?.DeepClone(),
                Mode = mode,
                Location = location,
                Model = model,
                Targets = Targets(group, model),
                StartedAt = now,
                CompletesAt = now + minimumDuration + faults.TakeSlowDeployment(path),
                Failing = faults.TakeFailingResource(path, model.Resources),
            };
            group.Deployments[name] = deployment;
            group.DeploymentsStarted++;
            operations[deployment.OperationId] = deployment;
            return new DeploymentPut(PutOutcome.Started, deployment, deployment.ToJson(now));
        }
    }

    /// <summary>Reads a deployment after advancing it; null when the group or the deployment is missing.</summary>
    internal T? ReadDeployment<T>(string subscriptionId, string resourceGroup, string name, Func<DeploymentRecord, DateTimeOffset, T> read)
        where T : class
    {
        lock (gate)
        {
            if (!groups.TryGetValue(Key(subscriptionId, resourceGroup), out var group) || !group.Deployments.TryGetValue(name, out var deployment))
                return null;
            var now = Time.GetUtcNow();
            deployment.Advance(now);
            return read(deployment, now);
        }
    }

    internal bool GroupExists(string subscriptionId, string resourceGroup)
    {
        lock (gate)
            return groups.ContainsKey(Key(subscriptionId, resourceGroup));
    }

    internal JsonArray ListDeployments(string subscriptionId, string resourceGroup)
    {
        lock (gate)
        {
            var now = Time.GetUtcNow();
            var group = groups.GetValueOrDefault(Key(subscriptionId, resourceGroup));
            return new JsonArray([.. (group?.Deployments.Values.AsEnumerable() ?? []).Select(d =>
            {
                d.Advance(now);
                return d.ToJson(now);
            })]);
        }
    }

    /// <summary>The status of an operation started by a deployment PUT; null when unknown.</summary>
    internal (JsonObject Status, bool Terminal)? OperationStatus(string operationId)
    {
        lock (gate)
        {
            if (!operations.TryGetValue(operationId, out var deployment))
                return null;
            deployment.Advance(Time.GetUtcNow());
            return (deployment.StatusJson(), deployment.IsTerminal);
        }
    }

    /// <summary>Runs a what-if against the group's current resources; null when the group is missing.</summary>
    internal WhatIfRecord? StartWhatIf(string subscriptionId, string resourceGroup, string name, JsonObject template, JsonObject? parameters, string mode)
    {
        lock (gate)
        {
            if (!groups.TryGetValue(Key(subscriptionId, resourceGroup), out var group))
                return null;
            var now = Time.GetUtcNow();
            foreach (var deployment in group.Deployments.Values)
                deployment.Advance(now);
            var model = TemplateModel.Read(template, parameters, group.Scope(name), new Directory(this));
            // Modules deployed to other groups are compared with what those groups hold of them.
            var deployed = group.Resources.Values.Concat(Targets(group, model).Values.Where(g => g != group)
                .SelectMany(g => model.Resources.Select(r => g.Resources.GetValueOrDefault(r.Id)).OfType<TemplateResource>()));
            var record = new WhatIfRecord(Guid.NewGuid().ToString("N"), subscriptionId, WhatIfComparer.Compare(model.Resources, deployed, mode));
            whatIfs[record.Id] = record;
            return record;
        }
    }

    internal WhatIfRecord? GetWhatIf(string id)
    {
        lock (gate)
            return whatIfs.GetValueOrDefault(id);
    }

    private static string Key(string subscriptionId, string resourceGroup) => $"{subscriptionId}/{resourceGroup}";

    /// <summary>The groups a model's resources go to, by group id: the deployment's own, and those its nested deployments target.</summary>
    private Dictionary<string, ResourceGroupState> Targets(ResourceGroupState own, TemplateModel model)
    {
        var targets = new Dictionary<string, ResourceGroupState>(StringComparer.OrdinalIgnoreCase) { [own.Id] = own };
        foreach (var resource in model.Resources)
        {
            if (ResourceIds.GroupNamesOf(resource.Id) is var (subscriptionId, resourceGroup) && groups.TryGetValue(Key(subscriptionId, resourceGroup), out var target))
                targets[target.Id] = target;
        }
        return targets;
    }

    /// <summary>The groups and resources a template's evaluation may read (called under the state's lock).</summary>
    private sealed class Directory(ArmState state) : IResourceGroupDirectory
    {
        public string? LocationOf(string subscriptionId, string resourceGroup) =>
            state.groups.GetValueOrDefault(Key(subscriptionId, resourceGroup))?.Location;

        public TemplateResource? Deployed(string resourceId) =>
            ResourceIds.GroupNamesOf(resourceId) is var (subscriptionId, resourceGroup) && state.groups.TryGetValue(Key(subscriptionId, resourceGroup), out var group)
                ? group.Resources.GetValueOrDefault(resourceId)
                : null;
    }
}
