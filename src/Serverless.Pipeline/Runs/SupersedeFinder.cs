using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Runs;

/// <summary>Which runs a newer run of the same stack supersedes: the older ones that have not finished.</summary>
public sealed class SupersedeFinder(RunStore runs)
{
    public async Task<IReadOnlyList<string>> FindAsync(SupersedeRequest request, CancellationToken cancellation = default) =>
        await runs.UnfinishedBeforeAsync(request.Stack, request.RequestedAt, request.RunId, cancellation);
}
