namespace Serverless.Pipeline.Triggers;

/// <summary>An event to act on: a push, or something else that is acknowledged and recorded as ignored.</summary>
public sealed record TriggerEvent(string Source, string Id, string Type, RepositoryPush? Push, string? IgnoreReason = null);

public enum EventOutcomeKind
{
    /// <summary>At least one run was started for the event.</summary>
    Started,

    /// <summary>Every run the event asks for exists already: a redelivery.</summary>
    AlreadyStarted,

    /// <summary>The event starts no run; the reason says why, and it is recorded in the ignored events.</summary>
    Ignored,
}

/// <summary>What became of one event.</summary>
public sealed record EventOutcome(
    string Id,
    string Type,
    EventOutcomeKind Outcome,
    IReadOnlyList<Runs.RunStarted> Runs,
    string? Repository = null,
    string? Ref = null,
    string? Commit = null,
    string? Reason = null);

/// <summary>The answer to a delivery: counts, then each event's outcome.</summary>
public sealed record TriggerAnswer(int Received, int Started, int AlreadyStarted, int Ignored, IReadOnlyList<EventOutcome> Events);
