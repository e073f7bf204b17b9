using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// One ARM request kept failing transiently (429, 5xx, a passing 409, the network) for all of
/// <see cref="ArmOptions.MaxAttempts"/> attempts of Azure.Core's retry policy (<see cref="ArmRetryPolicy"/>).
/// It is a <see cref="RetriesExhaustedFailure"/>: the orchestrator does not retry the activity again.
/// </summary>
public sealed class ArmRetriesExhaustedException(string message, ArmError? error = null, int? status = null, Exception? inner = null)
    : RetriesExhaustedFailure(message, inner)
{
    /// <summary>ARM's error in the last answer, when there was one.</summary>
    public ArmError? Error { get; } = error;

    /// <summary>The HTTP status of the last answer; null when there was no answer (the network).</summary>
    public int? Status { get; } = status;

    /// <summary>How many times the request was sent.</summary>
    public int Attempts { get; init; }
}
