using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// An ARM failure that retrying cannot fix (an invalid template, no permission, a resource that failed
/// to deploy). It is a <see cref="PermanentStageFailure"/>: the orchestrator fails the stage at once.
/// The message is complete on its own (it is all the orchestrator keeps).
/// </summary>
public sealed class PermanentArmException(string message, ArmError? error = null, int? status = null, Exception? inner = null)
    : PermanentStageFailure(message, inner)
{
    /// <summary>ARM's error, when ARM gave one.</summary>
    public ArmError? Error { get; } = error;

    /// <summary>The HTTP status, when the failure was an HTTP answer.</summary>
    public int? Status { get; } = status;
}
