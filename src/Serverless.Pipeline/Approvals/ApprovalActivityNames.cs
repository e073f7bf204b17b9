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

    public static IReadOnlyList<string> All { get; } = [RequestApproval, RemindApprovers];
}
