namespace Serverless.LocalArm.Templates;

/// <summary>Where a template is evaluated: the resource group and the deployment's name.</summary>
public sealed record DeploymentScope(string SubscriptionId, string ResourceGroup, string Location, string DeploymentName)
{
    public string SubscriptionResourceId => $"/subscriptions/{SubscriptionId}";

    public string ResourceGroupId => $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}";

    /// <summary>The ARM id of a resource in this group: type <c>Ns/a/b</c> and name <c>x/y</c> give <c>.../providers/Ns/a/x/b/y</c>.</summary>
    public string ResourceId(string type, string name)
    {
        var types = type.Split('/');
        var names = name.Split('/');
        var id = new System.Text.StringBuilder($"{ResourceGroupId}/providers/{types[0]}");
        for (var i = 1; i < types.Length; i++)
            id.Append('/').Append(types[i]).Append('/').Append(i - 1 < names.Length ? names[i - 1] : "");
        return id.ToString();
    }
}
