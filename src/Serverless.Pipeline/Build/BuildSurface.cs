using Serverless.Pipeline.Hosting;
using Serverless.Pipeline.Security;
using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Build;

/// <summary>The build slice's surface: validating a commit without a run, and the build stage's activity.</summary>
public static class BuildSurface
{
    public static IReadOnlyList<ApiEndpoint> Endpoints { get; } =
    [
        ApiEndpoint.Post("ValidateStack", ValidationApi.Route, AccessLevel.Operator, call => call.Service<ValidationApi>().ValidateAsync(call.Request, call.Value)),
    ];

    public static IReadOnlyList<WorkflowActivity> Activities { get; } =
    [
        WorkflowActivity.Of<BuildService, BuildRequest, BuildResult>(PipelineNames.BuildArtifact, (build, request) => build.BuildAsync(request)),
    ];
}
