namespace Serverless.Pipeline.Definition;

/// <summary>Who may approve a release for production, how many must, and how long the pipeline waits.</summary>
/// <param name="Users">Approvers named one by one.</param>
/// <param name="Groups">Groups whose members may approve.</param>
/// <param name="MinimumApprovals">How many distinct people must approve (at least 1).</param>
/// <param name="AuthorMayApprove">Whether the author of the change may approve it.</param>
/// <param name="Timeout">How long the pipeline waits before the run ends as not approved.</param>
public sealed record ApprovalPolicy(
    IReadOnlyList<string> Users,
    IReadOnlyList<string> Groups,
    int MinimumApprovals,
    bool AuthorMayApprove,
    TimeSpan Timeout);
