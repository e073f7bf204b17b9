using Serverless.LocalServices;
using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Http;
using Serverless.Pipeline.Security;
using Serverless.Pipeline.Workflow;

namespace Serverless.Functions.Tests;

/// <summary>
/// The Function App's wiring, read from the functions.metadata that its build generates:
/// the same file the Functions host reads to index triggers.
/// </summary>
public sealed class FunctionMetadataTests
{
    private static readonly Lazy<JsonArray> Metadata = new(Load);

    public static TheoryData<string, string, string> HttpFunctions => new()
    {
        { "ListStacks", "get", Routes.Stacks },
        { "GetStack", "get", Routes.Stack },
        { "RegisterStack", "put", Routes.Stack },
        { "ValidateStack", "post", ValidationApi.Route },
        { "RollbackStack", "post", RollbackApi.Route },
        { "StartRun", "post", Routes.StackRuns },
        { "ListRuns", "get", Routes.Runs },
        { "GetRun", "get", Routes.Run },
        { "DecideApproval", "post", Routes.RunApproval },
        { "EventGridWebhook", "post", TriggerRoutes.EventGrid },
        { "EventGridHandshake", "options", TriggerRoutes.EventGrid },
        { "GitHubWebhook", "post", TriggerRoutes.GitHub },
        { "GetMetrics", "get", MetricsRoutes.Metrics },
        { "OpenIncident", "post", MetricsRoutes.Incidents },
        { "ReceiveAzureMonitorAlert", "post", MetricsRoutes.AzureMonitorAlerts },
        { "GetIncident", "get", MetricsRoutes.Incident },
        { "ResolveIncident", "patch", MetricsRoutes.Incident },
        { "ApprovalPage", "get", ApprovalRoutes.Link },
        { "ApprovalDecide", "post", ApprovalRoutes.Link },
        { "ListRunApprovals", "get", ApprovalRoutes.RunApprovals },
        { "IssueApprovalLinks", "post", ApprovalRoutes.RunApprovalLinks },
        { "Dashboard", "get", DashboardRoutes.Files },
        { "GetEstate", "get", DashboardRoutes.Estate },
    };

    /// <summary>Webhooks and approval links carry their own credential (a shared secret, a signature, a signed token), so the Functions host lets them in; nothing else.</summary>
    private static readonly string[] AnonymousFunctions = ["EventGridWebhook", "EventGridHandshake", "GitHubWebhook", "ApprovalPage", "ApprovalDecide",
        // The dashboard's static files hold no data; the API calls they make stay function-level.
        "Dashboard"];

    [Theory]
    [MemberData(nameof(HttpFunctions))]
    public void Each_HTTP_route_is_an_HTTP_trigger_with_function_level_authorization_except_the_webhooks(string name, string method, string route)
    {
        var trigger = Trigger(name);

        Assert.Equal("httpTrigger", (string)trigger["type"]!);
        Assert.Equal(route, (string)trigger["route"]!);
        Assert.Equal([method], trigger["methods"]!.AsArray().Select(m => (string)m!));
        Assert.Equal(AnonymousFunctions.Contains(name) ? "Anonymous" : "Function", (string)trigger["authLevel"]!);
    }

    [Fact]
    public void Only_the_webhooks_are_anonymous() =>
        Assert.Equal(AnonymousFunctions.Order(),
            Metadata.Value.Where(f => f!["bindings"]!.AsArray().Any(b => (string?)b!["authLevel"] == "Anonymous")).Select(f => (string)f!["name"]!).Order());

    /// <summary>
    /// Every HTTP function is in the one access policy, and its authorization level follows from it: Anonymous routes are
    /// anonymous to the Functions host, all others need a function key (Reader, Operator and Admin are told apart by
    /// App Service authentication's app roles, see docs/security.md).
    /// </summary>
    [Fact]
    public void Each_HTTP_function_has_the_authorization_level_of_its_row_in_the_access_policy()
    {
        var http = Metadata.Value.Select(f => (Name: (string)f!["name"]!, Trigger: f["bindings"]!.AsArray().FirstOrDefault(b => (string?)b!["type"] == "httpTrigger")))
            .Where(f => f.Trigger is not null).ToList();
        Assert.NotEmpty(http);
        foreach (var (name, trigger) in http)
        {
            foreach (var method in trigger!["methods"]!.AsArray().Select(m => (string)m!))
            {
                var row = AccessPolicy.FindFunction(method, (string)trigger["route"]!);
                Assert.True(row is not null, $"{name} ({method} {(string)trigger["route"]!}) is not in the access policy.");
                Assert.Equal(row.Level == AccessLevel.Anonymous ? "Anonymous" : "Function", (string)trigger["authLevel"]!);
            }
        }
    }

    [Fact]
    public void The_orchestrator_has_an_orchestration_trigger_under_its_shared_name() =>
        Assert.Equal("orchestrationTrigger", (string)Trigger(PipelineNames.Orchestrator)["type"]!);

    [Fact]
    public void Every_activity_has_an_activity_trigger_under_its_shared_name()
    {
        foreach (var activity in PipelineNames.Activities.Concat(ApprovalActivityNames.All))
            Assert.Equal("activityTrigger", (string)Trigger(activity)["type"]!);
    }

    [Fact]
    public void Handlers_that_talk_to_the_engine_get_a_durable_client()
    {
        foreach (var name in new[] { "StartRun", "RollbackStack", "GetRun", "DecideApproval", "EventGridWebhook", "GitHubWebhook", "ApprovalPage", "ApprovalDecide", "IssueApprovalLinks" })
            Assert.Contains(Function(name)["bindings"]!.AsArray(), b => (string)b!["type"]! == "durableClient");
    }

    [Fact]
    public void There_are_no_functions_beyond_the_known_ones()
    {
        var known = HttpFunctions.Select(row => (string)row[0]).Concat([PipelineNames.Orchestrator]).Concat(PipelineNames.Activities).Concat(ApprovalActivityNames.All);

        Assert.Equal(known.Order(), Metadata.Value.Select(f => (string)f!["name"]!).Order());
    }

    [Fact]
    public void Host_json_configures_the_Azure_Storage_provider_with_the_task_hub_from_app_settings()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "host.json")))!;
        var durable = host["extensions"]!["durableTask"]!;

        Assert.Equal("%PipelineTaskHub%", (string)durable["hubName"]!);
        Assert.Equal("AzureStorage", (string)durable["storageProvider"]!["type"]!);
        Assert.Equal("api", (string)host["extensions"]!["http"]!["routePrefix"]!);
    }

    private static JsonObject Function(string name) =>
        Metadata.Value.Single(f => (string)f!["name"]! == name)!.AsObject();

    private static JsonObject Trigger(string name) =>
        Function(name)["bindings"]!.AsArray().Single(b => ((string)b!["type"]!).EndsWith("Trigger", StringComparison.Ordinal))!.AsObject();

    private static JsonArray Load()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(RepositoryRoot.Path, "src", "Serverless.Functions", "bin", configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"The Function App's build did not write {path}.");
        return JsonNode.Parse(File.ReadAllText(path))!.AsArray();
    }
}
