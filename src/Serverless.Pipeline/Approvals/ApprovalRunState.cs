using Microsoft.DurableTask.Client;
using Serverless.Pipeline.Runs;

namespace Serverless.Pipeline.Approvals;

/// <summary>Whether a run waits at an approval gate now, as the engine knows it: the check both the links and their issuing make.</summary>
public static class ApprovalRunState
{
    /// <summary>Why the run cannot take a decision now, or null when it waits at an approval gate.</summary>
    public static async Task<PolicyRefusal?> CheckAsync(DurableTaskClient engine, string runId, CancellationToken cancellation) =>
        Check(await engine.GetInstanceAsync(runId, getInputsAndOutputs: true, cancellation), runId);

    /// <summary>Why the run of the engine's <paramref name="instance"/> (null: unknown to the engine) cannot take a decision now, or null.</summary>
    public static PolicyRefusal? Check(OrchestrationMetadata? instance, string runId)
    {
        if (instance is null)
            return new PolicyRefusal(ApprovalRefusals.RunFinished, $"Run {runId} is no longer known to the engine; it has finished.");
        var progress = instance.ReadCustomStatusAs<RunProgress>();
        var supersededText = (progress?.Reason ?? "") + " " + (instance.SerializedOutput ?? "");
        if (supersededText.Contains("supersed", StringComparison.OrdinalIgnoreCase))
            return new PolicyRefusal(ApprovalRefusals.Superseded, $"Run {runId} was superseded by a newer change{Reason(progress)}.");
        var engineFinished = instance.RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
        if (engineFinished || progress?.Status.IsFinished() == true)
        {
            var status = progress?.Status.IsFinished() == true ? progress.Status.ToString() : instance.RuntimeStatus.ToString();
            return new PolicyRefusal(ApprovalRefusals.RunFinished, $"Run {runId} has finished ({status}{Reason(progress)}); it takes no more decisions.");
        }
        if (progress?.Status != RunStatus.AwaitingApproval)
            return new PolicyRefusal(ApprovalRefusals.RunNotWaiting, $"Run {runId} is {progress?.Status.ToString() ?? "starting"}, not waiting for approval.");
        return null;
    }

    private static string Reason(RunProgress? progress) => string.IsNullOrWhiteSpace(progress?.Reason) ? "" : $": {progress.Reason}";
}
