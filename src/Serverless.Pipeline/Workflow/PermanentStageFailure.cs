namespace Serverless.Pipeline.Workflow;

/// <summary>
/// A failure that retrying cannot fix (an artifact whose bytes do not match its version, invalid input).
/// The orchestrator fails the stage at once instead of retrying it.
/// </summary>
public class PermanentStageFailure(string message, Exception? inner = null) : Exception(message, inner);
