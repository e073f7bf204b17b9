using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Definition;

/// <summary>Reads the <c>approval</c> section.</summary>
internal static class ApprovalReader
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(StackRegistration.MaxApprovalTimeoutMinutes);

    private static readonly string[] Known = ["approvers", "minimumApprovals", "authorMayApprove", "timeout"];
    private static readonly string[] KnownApprovers = ["users", "groups"];

    public static ApprovalPolicy? Read(Fields root)
    {
        if (root.Section("approval", required: true, Known) is not { } fields) return null;
        List<string> users = [], groups = [];
        var approvers = fields.Section("approvers", required: true, KnownApprovers);
        if (approvers is not null)
        {
            users = Names(approvers, "users");
            groups = Names(approvers, "groups");
            if (!approvers.Has("users") && !approvers.Has("groups"))
                fields.Report("approvers", "List at least one approver under 'users' or 'groups'.");
        }

        var minimum = fields.Int("minimumApprovals", fallback: 1);
        if (minimum < 1)
            fields.Report("minimumApprovals", $"At least 1 approval is required, not {minimum}.");
        else if (minimum > users.Count && groups.Count == 0 && approvers is not null && users.Count > 0)
            fields.Report("minimumApprovals", $"{minimum} approvals are required but only {users.Count} approver{(users.Count == 1 ? " is" : "s are")} listed.");

        var authorMayApprove = fields.Bool("authorMayApprove", fallback: false);
        var timeout = fields.Duration("timeout", DefaultTimeout);
        if (timeout <= TimeSpan.Zero || timeout > MaxTimeout)
            fields.Report("timeout", $"The approval timeout must be more than zero and at most {MaxTimeout.TotalDays:0} days.");
        return new ApprovalPolicy(users, groups, minimum ?? 1, authorMayApprove ?? false, timeout ?? DefaultTimeout);
    }

    private static List<string> Names(Fields approvers, string field)
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
            else
                names.Add(name);
        }
        return names;
    }
}
