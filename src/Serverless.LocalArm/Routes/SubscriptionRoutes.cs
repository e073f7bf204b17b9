using System.Text.Json.Nodes;
using Serverless.LocalArm.Http;
using Serverless.LocalArm.Templates;

namespace Serverless.LocalArm.Routes;

/// <summary>
/// Every subscription id exists. <c>GET /subscriptions/{sub}</c> and the Microsoft.Resources
/// provider (which the SDK's generic resources read to choose an api-version).
/// </summary>
internal static class SubscriptionRoutes
{
    private static readonly string[] ApiVersions = ["2024-03-01", "2022-09-01", "2021-04-01"];
    private static readonly string[] ResourceTypes = ["resourceGroups", "deployments", "deployments/operations", "deploymentOperations", "operationresults"];

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/subscriptions/{subscriptionId}", Subscription);
        app.MapGet("/subscriptions/{subscriptionId}/providers/{providerNamespace}", Provider);
    }

    private static IResult Subscription(string subscriptionId) => ArmResult.Ok(new JsonObject
    {
        ["id"] = $"/subscriptions/{subscriptionId}",
        ["subscriptionId"] = subscriptionId,
        ["tenantId"] = LocalTenant.Id,
        ["displayName"] = "LocalArm test double subscription",
        ["state"] = "Enabled",
    });

    private static IResult Provider(string subscriptionId, string providerNamespace)
    {
        if (!providerNamespace.Equals("Microsoft.Resources", StringComparison.OrdinalIgnoreCase))
            return ArmErrors.Result(StatusCodes.Status404NotFound, "InvalidResourceNamespace",
                $"The resource namespace '{providerNamespace}' is invalid (LocalArm, a test double, serves Microsoft.Resources only).");
        return ArmResult.Ok(new JsonObject
        {
            ["id"] = $"/subscriptions/{subscriptionId}/providers/Microsoft.Resources",
            ["namespace"] = "Microsoft.Resources",
            ["registrationState"] = "Registered",
            ["resourceTypes"] = new JsonArray([.. ResourceTypes.Select(type => new JsonObject
            {
                ["resourceType"] = type,
                ["locations"] = new JsonArray(),
                ["apiVersions"] = new JsonArray([.. ApiVersions.Select(v => JsonValue.Create(v))]),
            })]),
        });
    }
}
