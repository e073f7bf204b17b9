namespace Serverless.LocalArm.State;

/// <summary>What one resource group has seen (the body of <c>GET /_localarm/stats</c> lists these).</summary>
public sealed record ResourceGroupStats(
    string SubscriptionId,
    string ResourceGroup,
    int Deployments,
    int Succeeded,
    int Failed,
    int Running,
    IReadOnlyList<string> Resources);

/// <summary>Counters for tests that check nothing was deployed twice.</summary>
public sealed record LocalArmStats(int TotalDeployments, IReadOnlyList<ResourceGroupStats> ResourceGroups)
{
    /// <summary>Deployments started in a resource group (0 when it does not exist).</summary>
    public int DeploymentsIn(string resourceGroup) =>
        ResourceGroups.Where(g => string.Equals(g.ResourceGroup, resourceGroup, StringComparison.OrdinalIgnoreCase)).Sum(g => g.Deployments);
}
