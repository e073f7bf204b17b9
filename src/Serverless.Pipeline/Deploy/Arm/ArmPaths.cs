namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>The ARM URLs the deployer calls (resource-group scope, Microsoft.Resources).</summary>
internal static class ArmPaths
{
    public static Uri ResourceGroup(ArmOptions options, string subscriptionId, string resourceGroup) =>
        Url(options, $"subscriptions/{E(subscriptionId)}/resourcegroups/{E(resourceGroup)}");

    public static Uri Deployment(ArmOptions options, string subscriptionId, string resourceGroup, string deploymentName) =>
        Url(options, $"subscriptions/{E(subscriptionId)}/resourcegroups/{E(resourceGroup)}/providers/Microsoft.Resources/deployments/{E(deploymentName)}");

    public static Uri WhatIf(ArmOptions options, string subscriptionId, string resourceGroup, string deploymentName) =>
        Url(options, $"subscriptions/{E(subscriptionId)}/resourcegroups/{E(resourceGroup)}/providers/Microsoft.Resources/deployments/{E(deploymentName)}/whatIf");

    /// <summary>
    /// Whether a polling URL from a response header may be followed: only on ARM's own origin, so that the
    /// bearer token is never sent anywhere else.
    /// </summary>
    public static bool SameOrigin(Uri endpoint, string? url, out Uri target)
    {
        target = endpoint;
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var parsed))
            return false;
        target = parsed;
        return Uri.Compare(endpoint, parsed, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
    }

    private static Uri Url(ArmOptions options, string path) =>
        new(options.BaseEndpoint, $"{path}?api-version={Uri.EscapeDataString(options.ApiVersion)}");

    private static string E(string segment) => Uri.EscapeDataString(segment);
}
