using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Build;
using Serverless.Pipeline.Dashboard;
using Serverless.Pipeline.Deploy;
using Serverless.Pipeline.Metrics;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Stacks;
using Serverless.Pipeline.Triggers;

namespace Serverless.Pipeline.Hosting;

/// <summary>
/// Every endpoint and activity of the product, gathered from the slices' surfaces: what both hosts serve.
/// A new endpoint or activity is declared in its slice's surface and appears here, in both hosts and in the access policy.
/// </summary>
public static class PipelineSurface
{
    public static IReadOnlyList<ApiEndpoint> Endpoints { get; } =
    [
        .. StacksSurface.Endpoints,
        .. BuildSurface.Endpoints,
        .. RunsSurface.Endpoints,
        .. DeploySurface.Endpoints,
        .. ApprovalsSurface.Endpoints,
        .. TriggersSurface.Endpoints,
        .. MetricsSurface.Endpoints,
        .. DashboardSurface.Endpoints,
    ];

    public static IReadOnlyList<WorkflowActivity> Activities { get; } =
    [
        .. BuildSurface.Activities,
        .. RunsSurface.Activities,
        .. DeploySurface.Activities,
        .. ApprovalsSurface.Activities,
    ];

    /// <summary>The endpoint the Function App serves under a function name, or null.</summary>
    public static ApiEndpoint? FindEndpoint(string name) => Endpoints.FirstOrDefault(e => e.Name == name);

    /// <summary>The activity of a shared name; a host adapter of an undeclared name is a programming error.</summary>
    public static WorkflowActivity<TInput, TOutput> Activity<TInput, TOutput>(string name) =>
        Activities.SingleOrDefault(a => a.Name == name) as WorkflowActivity<TInput, TOutput>
        ?? throw new InvalidOperationException($"No activity {name} from {typeof(TInput).Name} to {typeof(TOutput).Name} is declared.");
}
