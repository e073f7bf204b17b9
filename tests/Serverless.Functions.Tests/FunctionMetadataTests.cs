using Serverless.LocalServices;
using Serverless.Pipeline.Hosting;
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

    /// <summary>The endpoints the Function App serves, as their slices declare them.</summary>
    private static IEnumerable<ApiEndpoint> Declared => PipelineSurface.Endpoints.Where(e => e.Hosts.HasFlag(RouteHosts.FunctionApp));

    public static TheoryData<string> DeclaredEndpoints => [.. Declared.Select(e => e.Name)];

    public static TheoryData<string> DeclaredActivities => [.. PipelineSurface.Activities.Select(a => a.Name)];

    /// <summary>
    /// The adapter of each declared endpoint has its route and method, and the authorization level that follows from its
    /// role: Anonymous endpoints (webhooks, approval links and the dashboard's files carry their own credential or hold
    /// no data) are anonymous to the Functions host, all others need a function key (Reader, Operator and Admin are told
    /// apart by App Service authentication's app roles, see docs/security.md).
    /// </summary>
    [Theory]
    [MemberData(nameof(DeclaredEndpoints))]
    public void Each_declared_endpoint_is_an_HTTP_trigger_with_its_route_method_and_authorization_level(string name)
    {
        var endpoint = PipelineSurface.FindEndpoint(name)!;
        var trigger = Trigger(name);

        Assert.Equal("httpTrigger", (string)trigger["type"]!);
        Assert.Equal(endpoint.Route, (string)trigger["route"]!);
        Assert.Equal([endpoint.Method.ToLowerInvariant()], trigger["methods"]!.AsArray().Select(m => (string)m!));
        Assert.Equal(endpoint.Level == AccessLevel.Anonymous ? "Anonymous" : "Function", (string)trigger["authLevel"]!);
        Assert.Equal(endpoint.UsesEngine, Function(name)["bindings"]!.AsArray().Any(b => (string)b!["type"]! == "durableClient"));
    }

    [Theory]
    [MemberData(nameof(DeclaredActivities))]
    public void Each_declared_activity_has_an_activity_trigger_under_its_shared_name(string name) =>
        Assert.Equal("activityTrigger", (string)Trigger(name)["type"]!);

    /// <summary>Each HTTP function is found in the access policy by its route and method, as the worker middleware finds it by name.</summary>
    [Fact]
    public void Each_HTTP_function_has_the_row_of_its_declaration_in_the_access_policy()
    {
        var http = Metadata.Value.Select(f => (Name: (string)f!["name"]!, Trigger: f["bindings"]!.AsArray().FirstOrDefault(b => (string?)b!["type"] == "httpTrigger")))
            .Where(f => f.Trigger is not null).ToList();
        Assert.NotEmpty(http);
        foreach (var (name, trigger) in http)
        {
            var row = AccessPolicy.FindFunction((string)trigger!["methods"]![0]!, (string)trigger["route"]!);
            Assert.True(row is not null, $"{name} is not in the access policy.");
            Assert.Equal(PipelineSurface.FindEndpoint(name)?.Access, row);
        }
    }

    [Fact]
    public void The_orchestrator_has_an_orchestration_trigger_under_its_shared_name() =>
        Assert.Equal("orchestrationTrigger", (string)Trigger(PipelineNames.Orchestrator)["type"]!);

    /// <summary>Nothing declared is missing from the app, and the app has nothing that is not declared.</summary>
    [Fact]
    public void The_app_has_exactly_the_declared_functions()
    {
        var declared = Declared.Select(e => e.Name).Concat(PipelineSurface.Activities.Select(a => a.Name)).Append(PipelineNames.Orchestrator);

        Assert.Equal(declared.Order(), Metadata.Value.Select(f => (string)f!["name"]!).Order());
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
