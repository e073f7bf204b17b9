using Serverless.Pipeline.Hosting;
using Serverless.Pipeline.Http;
using Serverless.Pipeline.Security;
using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Runs;

/// <summary>The runs slice's surface: starting and reading runs, and the activities that record them.</summary>
public static class RunsSurface
{
    public static IReadOnlyList<ApiEndpoint> Endpoints { get; } =
    [
        ApiEndpoint.Post("StartRun", Routes.StackRuns, AccessLevel.Operator, call => call.Service<RunApi>().StartAsync(call.Request, call.Value, call.Engine)) with { UsesEngine = true },
        ApiEndpoint.Get("ListRuns", Routes.Runs, AccessLevel.Reader, call => call.Service<RunApi>().ListAsync(call.Request)),
        ApiEndpoint.Get("GetRun", Routes.Run, AccessLevel.Reader, call => call.Service<RunApi>().GetAsync(call.Request, call.Value, call.Engine)) with { UsesEngine = true },
    ];

    public static IReadOnlyList<WorkflowActivity> Activities { get; } =
    [
        WorkflowActivity.Of<RunRecorder, RunRecord, bool>(PipelineNames.RecordRun, async (recorder, record) =>
        {
            await recorder.RecordAsync(record);
            return true;
        }),
        WorkflowActivity.Of<SupersedeFinder, SupersedeRequest, List<string>>(PipelineNames.FindSupersededRuns, async (finder, request) => [.. await finder.FindAsync(request)]),
    ];
}
