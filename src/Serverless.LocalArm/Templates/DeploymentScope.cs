namespace Serverless.LocalArm.Templates;

/// <summary>Where a template is evaluated: the resource group (and its location) and the deployment's name.</summary>
public sealed record DeploymentScope(string SubscriptionId, string ResourceGroup, string Location, string DeploymentName)
{
    public string SubscriptionResourceId => $"/subscriptions/{SubscriptionId}";

    public string ResourceGroupId => $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}";

    /// <summary>The ARM id of a resource in this group: type <c>Ns/a/b</c> and name <c>x/y</c> give <c>.../providers/Ns/a/x/b/y</c>.</summary>
    public string ResourceId(string type, string name) => ResourceIds.Compose(ResourceGroupId, type, name);

    /// <summary>True when both name the same resource group (ARM's names are case-insensitive).</summary>
    public bool SameGroup(string subscriptionId, string resourceGroup) =>
        string.Equals(SubscriptionId, subscriptionId, StringComparison.OrdinalIgnoreCase)
        && string.Equals(ResourceGroup, resourceGroup, StringComparison.OrdinalIgnoreCase);
}

/// <summary>ARM resource ids.</summary>
public static class ResourceIds
{
    /// <summary><paramref name="prefix"/><c>/providers/Ns/a/x/b/y</c> for type <c>Ns/a/b</c> and name <c>x/y</c>.</summary>
    public static string Compose(string prefix, string type, string name)
    {
        var types = type.Split('/');
        var names = name.Split('/');
        var id = new System.Text.StringBuilder($"{prefix}/providers/{types[0]}");
        for (var i = 1; i < types.Length; i++)
            id.Append('/').Append(types[i]).Append('/').Append(i - 1 < names.Length ? names[i - 1] : "");
        return id.ToString();
    }

    /// <summary>The id of the resource group a resource id lies in (<c>/subscriptions/s/resourceGroups/g</c>), or null.</summary>
    public static string? GroupOf(string resourceId) =>
        GroupNamesOf(resourceId) is var (subscriptionId, resourceGroup) ? $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}" : null;

    /// <summary>The subscription and resource group a resource id lies in, or null when it is not in a resource group.</summary>
    public static (string SubscriptionId, string ResourceGroup)? GroupNamesOf(string resourceId)
    {
        var parts = resourceId.Split('/');
        return parts.Length >= 5 && parts[0].Length == 0
            && parts[1].Equals("subscriptions", StringComparison.OrdinalIgnoreCase)
            && parts[3].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase)
                ? (parts[2], parts[4])
                : null;
    }
}
