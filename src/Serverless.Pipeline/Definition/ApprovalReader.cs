using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Definition;

/// <summary>
/// Reads the optional <c>approval</c> section. The protection of production is the stack's registration's; this section
/// can only make it stricter: more approvals, fewer of the registered approvers, a shorter timeout, no self-approval.
/// Anything looser is reported where it is written. Read without a registration, the section is taken as written.
/// </summary>
internal static class ApprovalReader
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(StackRegistration.MaxApprovalTimeoutMinutes);

    private static readonly string[] Known = ["approvers", "minimumApprovals", "authorMayApprove", "timeout"];
    private static readonly string[] KnownApprovers = ["users", "groups"];

    public static ApprovalPolicy? Read(Fields root, StackGovernance? governance)
    {
        var registered = governance?.Production.Approval ?? new ApprovalPolicy([], [], 1, false, DefaultTimeout);
        if (!root.Has("approval")) return registered;
        if (root.Section("approval", required: false, Known) is not { } fields) return null;

        var (users, groups) = (registered.Users, registered.Groups);
        var approvers = fields.Section("approvers", required: false, KnownApprovers);
        if (approvers is not null)
        {
            users = Names(approvers, "users", governance is null ? null : registered.Users);
            groups = Names(approvers, "groups", governance is null ? null : registered.Groups);
            if (!approvers.Has("users") && !approvers.Has("groups"))
                fields.Report("approvers", "List at least one approver under 'users' or 'groups', or leave 'approvers' out.");
        }

        var minimum = fields.Int("minimumApprovals", fallback: registered.MinimumApprovals);
        if (minimum < 1)
            fields.Report("minimumApprovals", $"At least 1 approval is required, not {minimum}.");
        else if (governance is not null && minimum < registered.MinimumApprovals)
            fields.Report("minimumApprovals", $"The stack's registration requires {registered.MinimumApprovals} approvals; delivery.yaml may require more, not fewer.");
        else if (minimum > users.Count && groups.Count == 0 && users.Count > 0)
            fields.Report("minimumApprovals", $"{minimum} approvals are required but only {users.Count} approver{(users.Count == 1 ? " is" : "s are")} listed.");

        var authorMayApprove = fields.Bool("authorMayApprove", fallback: registered.AuthorMayApprove);
        if (governance is not null && authorMayApprove == true && !registered.AuthorMayApprove)
            fields.Report("authorMayApprove", "The stack's registration does not let the author of a change approve it; delivery.yaml cannot allow it.");

        var timeout = fields.Duration("timeout", registered.Timeout);
        if (timeout <= TimeSpan.Zero || timeout > MaxTimeout)
            fields.Report("timeout", $"The approval timeout must be more than zero and at most {MaxTimeout.TotalDays:0} days.");
        else if (governance is not null && timeout > registered.Timeout)
            fields.Report("timeout", $"The stack's registration lets the gate wait {DurationText.Format(registered.Timeout)}; delivery.yaml may shorten the wait, not lengthen it.");

        return new ApprovalPolicy(users, groups, minimum ?? registered.MinimumApprovals, authorMayApprove ?? registered.AuthorMayApprove, timeout ?? registered.Timeout);
    }

    /// <summary>The names listed; against a registration, each must be one it lists (delivery.yaml narrows the approvers, never adds one).</summary>
    private static List<string> Names(Fields approvers, string field, IReadOnlyList<string>? registered)
    {
        var names = new List<string>();
        var items = approvers.TextList(field, required: false);
        if (items is null) return names;
        if (items.Count == 0 && approvers.Value(field) is YamlSequence { Items.Count: 0 })
            approvers.Report(field, $"'{field}' is an empty list; list at least one name or leave the field out.");
        foreach (var (name, node, path) in items)
        {
            if (names.Contains(name, StringComparer.OrdinalIgnoreCase))
                approvers.Problems.Add(node, path, $"'{name}' is listed twice.");
            else if (registered is not null && !registered.Contains(name, StringComparer.OrdinalIgnoreCase))
                approvers.Problems.Add(node, path, $"'{name}' is not among the {field} the stack's registration lets approve " +
                    $"({(registered.Count == 0 ? "none" : string.Join(", ", registered))}); delivery.yaml can narrow the approvers, not add one.");
            else
                names.Add(name);
        }
        return names;
    }
}
