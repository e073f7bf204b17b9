namespace Serverless.Pipeline.Triggers;

/// <summary>
/// One event of an Event Grid delivery, in either schema. <see cref="ValidationCode"/> is set on Event Grid's
/// subscription validation event; <see cref="Problem"/> on an event of the batch that is not a valid event.
/// </summary>
public sealed record InboundEvent(string Id, string Type, string? Source, DateTimeOffset? Time, BinaryData? Data, string? ValidationCode, string? Problem = null);

/// <summary>Why a request cannot be read: its HTTP status and a sentence for the caller.</summary>
public sealed record InputProblem(int Status, string Detail);
