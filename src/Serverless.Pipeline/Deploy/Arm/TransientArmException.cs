namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// An ARM failure that may pass (throttling, 5xx, the network, a deployment still running at the
/// timeout) and that outlasted the deployer's own retries. The orchestrator retries the activity; with
/// the same deployment name it finds the deployment instead of starting another.
/// </summary>
public sealed class TransientArmException(string message, ArmError? error = null, int? status = null, Exception? inner = null)
    : Exception(message, inner)
{
    public ArmError? Error { get; } = error;

    public int? Status { get; } = status;
}
