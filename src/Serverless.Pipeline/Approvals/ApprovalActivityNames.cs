namespace Serverless.Pipeline.Approvals;

/// <summary>
/// Names of the approval gate's activities: the contract between the orchestrator and the two hosts,
/// which each register an adapter under these names (LocalHost: <c>ApprovalActivities</c>; Functions: <c>ApprovalFunctions</c>).
/// </summary>
public static class ApprovalActivityNames
{
    /// <summary>Input <see cref="ApprovalGateRequest"/>, output <see cref="ApprovalLinks"/> (signatures redacted).</summary>
    public const string RequestApproval = "RequestApproval";

    /// <summary>Input <see cref="ApprovalReminderRequest"/>, output <see cref="ApprovalReminderResult"/>.</summary>
    public const string RemindApprovers = "RemindApprovers";

    /// <summary>Input <see cref="ApprovalTallyRequest"/>, output <see cref="ApprovalTally"/>: how the gate stands, from the recorded decisions.</summary>
    public const string TallyApprovals = "TallyApprovals";

    public static IReadOnlyList<string> All { get; } = [RequestApproval, RemindApprovers, TallyApprovals];
}
