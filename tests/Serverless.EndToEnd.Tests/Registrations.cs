namespace Serverless.EndToEnd.Tests;

/// <summary>
/// Bodies of <c>PUT /api/stacks/{stack}</c> for the tests: environments by name, each in a resource group of its own stack
/// (<c>rg-{stack}-{environment}</c>, so that stacks never share one), and production approved by alice or bob.
/// </summary>
internal static class Registrations
{
    public const string TestSubscription = "11111111-1111-1111-1111-111111111111";
    public const string ProductionSubscription = "22222222-2222-2222-2222-222222222222";
    public static readonly string[] Approvers = ["alice@contoso.example", "bob@contoso.example"];

    public static object Of(string stack, string repository, string[]? test = null, string[]? production = null, string[]? approvers = null,
        int? minimumApprovals = null, bool? authorMayApprove = null, int? timeoutMinutes = null, string? branch = null, string[]? paths = null,
        string[]? operators = null, string? path = null) => new
    {
        repository,
        branch,
        paths,
        path,
        operators,
        environments = (test ?? []).Select(e => Environment(stack, e, "test", TestSubscription))
            .Concat((production ?? ["prod"]).Select(e => Environment(stack, e, "production", ProductionSubscription))),
        production = new { approvers = new { users = approvers ?? Approvers }, minimumApprovals, authorMayApprove, timeoutMinutes },
    };

    public static object Environment(string stack, string name, string kind, string subscription) =>
        new { name, kind, subscription, resourceGroup = $"rg-{stack}-{name}", location = "westeurope" };
}
