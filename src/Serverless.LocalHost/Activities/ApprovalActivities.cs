using Microsoft.DurableTask;
using Serverless.Pipeline.Approvals;

namespace Serverless.LocalHost.Activities;

// Thin adapters of the approval gate's activity service, under the shared activity names.

/// <summary>Records the request and notifies; returns the links with their signatures redacted, so none lands in orchestration history.</summary>
[DurableTask(ApprovalActivityNames.RequestApproval)]
public sealed class RequestApprovalActivity(ApprovalGate gate) : TaskActivity<ApprovalGateRequest, ApprovalLinks>
{
    public override async Task<ApprovalLinks> RunAsync(TaskActivityContext context, ApprovalGateRequest input) =>
        (await gate.RequestAsync(input)).Redacted();
}

[DurableTask(ApprovalActivityNames.TallyApprovals)]
public sealed class TallyApprovalsActivity(ApprovalGate gate) : TaskActivity<ApprovalTallyRequest, ApprovalTally>
{
    public override Task<ApprovalTally> RunAsync(TaskActivityContext context, ApprovalTallyRequest input) => gate.TallyAsync(input);
}

[DurableTask(ApprovalActivityNames.RemindApprovers)]
public sealed class RemindApproversActivity(ApprovalGate gate) : TaskActivity<ApprovalReminderRequest, ApprovalReminderResult>
{
    public override Task<ApprovalReminderResult> RunAsync(TaskActivityContext context, ApprovalReminderRequest input) => gate.RemindAsync(input);
}
