namespace Serverless.LocalArm.Templates;

/// <summary>
/// What a template's evaluation may read outside the template: the other resource groups a
/// nested deployment deploys to, and resources deployed before (for <c>reference()</c> and
/// <c>existing</c> resources).
/// </summary>
public interface IResourceGroupDirectory
{
    /// <summary>The location of an existing resource group, or null when there is no such group.</summary>
    string? LocationOf(string subscriptionId, string resourceGroup);

    /// <summary>A resource as it was deployed before, or null.</summary>
    TemplateResource? Deployed(string resourceId);
}

/// <summary>A directory that knows only the deployment's own resource group, with nothing deployed in it.</summary>
internal sealed class OwnGroupOnly(DeploymentScope scope) : IResourceGroupDirectory
{
    public string? LocationOf(string subscriptionId, string resourceGroup) =>
        scope.SameGroup(subscriptionId, resourceGroup) ? scope.Location : null;

    public TemplateResource? Deployed(string resourceId) => null;
}
