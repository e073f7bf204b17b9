namespace Serverless.Pipeline.Http;

/// <summary>Route templates of the HTTP API below <c>/api</c>, the same in both hosts.</summary>
public static class Routes
{
    public const string Prefix = "api";

    public const string Stacks = "stacks";
    public const string Stack = "stacks/{stack}";
    public const string StackRuns = "stacks/{stack}/runs";
    public const string Runs = "runs";
    public const string Run = "runs/{id}";
    public const string RunApproval = "runs/{id}/approval";

    public static string RunPath(string id) => $"/{Prefix}/runs/{id}";
    public static string RunApprovalPath(string id) => $"/{Prefix}/runs/{id}/approval";
}
