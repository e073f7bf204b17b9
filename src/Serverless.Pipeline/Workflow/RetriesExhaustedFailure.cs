namespace Serverless.Pipeline.Workflow;

/// <summary>
/// A transient failure that a dependency's own retry layer (the Azure SDK's retry policy) already retried
/// until its budget ran out. The orchestrator does not retry the activity on top of it: that would multiply
/// the attempts of every request (see docs/deployments.md, "How many attempts"). The stage fails with the
/// message; a person can run it again.
/// </summary>
public class RetriesExhaustedFailure(string message, Exception? inner = null) : Exception(message, inner);
