using System.Text.RegularExpressions;
using Serverless.Pipeline.Definition;

namespace Serverless.Pipeline.Approvals;

/// <summary>Why a person may not make a decision.</summary>
public sealed record PolicyRefusal(string Reason, string Detail);

/// <summary>
/// The gate's policy applied to one person and one decision:
/// <list type="bullet">
/// <item>Self-approval (checked first): unless the policy allows it, the change's author may not approve it (they may reject it).</item>
/// <item>Allowed approvers: any of their names is a listed user, or any of their groups is a listed group. Nothing listed: anyone may decide.</item>
/// </list>
/// Names compare case-insensitively; an e-mail address also matches its local part (<c>ann@contoso.example</c> ~ <c>ann</c>)
/// when checking for self-approval, so that the check errs on the side of refusing.
/// </summary>
public static partial class ApprovalPolicyCheck
{
    public const string NotAllowed = "not-allowed";
    public const string SelfApproval = "self-approval";
    public const string Unverified = "unverified";

    /// <param name="authors">Everyone who wrote, committed or asked for the change (<see cref="ApprovalGateRequest.Authors"/>).</param>
    public static PolicyRefusal? Check(ApprovalPolicy policy, ApproverIdentity who, ApprovalChoice choice, IReadOnlyList<string> authors)
    {
        if (choice == ApprovalChoice.Approve && !policy.AuthorMayApprove && authors.FirstOrDefault(a => IsAuthor(a, who)) is { } author)
            return new PolicyRefusal(SelfApproval, $"{who.Name} wrote, committed or asked for this change ({author}) and may not approve it.");
        if (!IsAllowed(policy, who))
        {
            var listed = string.Join(", ", policy.Users.Concat(policy.Groups.Select(g => $"group {g}")));
            return new PolicyRefusal(NotAllowed, $"{who.Name} is not an approver of this stack; approvers: {listed}.");
        }
        return null;
    }

    public static bool IsAllowed(ApprovalPolicy policy, ApproverIdentity who)
    {
        if (policy.Users.Count == 0 && policy.Groups.Count == 0) return true;
        return who.Aliases.Any(a => policy.Users.Contains(a, StringComparer.OrdinalIgnoreCase)) ||
               who.Groups.Any(g => policy.Groups.Contains(g, StringComparer.OrdinalIgnoreCase));
    }

    public static bool IsAuthor(string? author, ApproverIdentity who)
    {
        if (string.IsNullOrWhiteSpace(author)) return false;
        var authorNames = Expand(AuthorNames(author));
        return Expand(who.Aliases).Overlaps(authorNames);
    }

    /// <summary>"Ann Example &lt;ann@contoso.example&gt;" → the whole text, "Ann Example", "ann@contoso.example".</summary>
    private static IEnumerable<string> AuthorNames(string author)
    {
        var trimmed = author.Trim();
        yield return trimmed;
        var match = NameAndEmail().Match(trimmed);
        if (match.Success)
        {
            if (match.Groups["name"].Value.Trim() is { Length: > 0 } name) yield return name;
            yield return match.Groups["email"].Value.Trim();
        }
    }

    private static HashSet<string> Expand(IEnumerable<string> names)
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names.Select(n => n.Trim()).Where(n => n.Length > 0))
        {
            set.Add(name);
            var at = name.IndexOf('@');
            if (at > 0) set.Add(name[..at]);
        }
        return set;
    }

    [GeneratedRegex(@"^(?<name>[^<]*)<(?<email>[^>]+)>$")]
    private static partial Regex NameAndEmail();
}
