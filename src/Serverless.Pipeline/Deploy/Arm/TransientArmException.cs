namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// An ARM failure of a whole deployer call that may pass: a deployment still running at the deployer's
/// timeout, a deployment that ended Failed only for passing causes (throttling, a service hiccup inside
/// ARM), or another deployment under the same name that was active. The orchestrator retries the activity;
/// with the same deployment name it finds the deployment instead of starting another. A single request
/// that failed transiently until its retries ran out is an <see cref="ArmRetriesExhaustedException"/> instead.
/// </summary>
public sealed class TransientArmException(string message, ArmError? error = null, int? status = null, Exception? inner = null)
    : Exception(message, inner)
{
    public ArmError? Error { get; } = error;

    public int? Status { get; } = status;
}
