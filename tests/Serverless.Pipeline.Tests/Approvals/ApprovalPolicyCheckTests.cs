using Serverless.Pipeline.Approvals;

namespace Serverless.Pipeline.Tests.Approvals;

public sealed class ApprovalPolicyCheckTests
{
    private const string Author = "Ann Example <ann@contoso.example>";

    private static ApproverIdentity Verified(string name, string[]? aliases = null, string[]? groups = null) =>
        new(name, true, aliases ?? [name], groups ?? []);

    [Theory]
    [InlineData("ann@contoso.example")]
    [InlineData("ANN@contoso.example")]
    [InlineData("Ann Example")]
    [InlineData("ann")]
    public void The_author_may_not_approve_their_own_change(string name)
    {
        var refusal = ApprovalPolicyCheck.Check(ApprovalTestKit.Policy(users: []), Verified(name), ApprovalChoice.Approve, [Author]);

        Assert.Equal(ApprovalPolicyCheck.SelfApproval, refusal?.Reason);
    }

    [Fact]
    public void The_author_is_recognised_by_any_of_their_names_and_when_they_type_it()
    {
        var signedIn = Verified("Ann E.", ["Ann E.", "ann@contoso.example"]);

        Assert.Equal(ApprovalPolicyCheck.SelfApproval, ApprovalPolicyCheck.Check(ApprovalTestKit.Policy(users: [], groups: []), signedIn, ApprovalChoice.Approve, [Author])?.Reason);
        Assert.Equal(ApprovalPolicyCheck.SelfApproval, ApprovalPolicyCheck.Check(ApprovalTestKit.Policy(users: [], groups: []), ApproverIdentity.Typed("Ann Example"), ApprovalChoice.Approve, [Author])?.Reason);
    }

    [Fact]
    public void The_author_may_approve_when_the_policy_allows_it_and_may_always_reject()
    {
        var ann = Verified("ann@contoso.example");

        Assert.Null(ApprovalPolicyCheck.Check(ApprovalTestKit.Policy(users: [], groups: [], authorMayApprove: true), ann, ApprovalChoice.Approve, [Author]));
        Assert.Null(ApprovalPolicyCheck.Check(ApprovalTestKit.Policy(users: [], groups: []), ann, ApprovalChoice.Reject, [Author]));
    }

    [Fact]
    public void Listed_users_and_members_of_listed_groups_may_decide_and_nobody_else()
    {
        var policy = ApprovalTestKit.Policy(users: ["bob@contoso.example"], groups: ["release-managers"]);

        Assert.Null(ApprovalPolicyCheck.Check(policy, Verified("Bob", ["Bob", "BOB@contoso.example"]), ApprovalChoice.Approve, [Author]));
        Assert.Null(ApprovalPolicyCheck.Check(policy, Verified("Carol", groups: ["Release-Managers"]), ApprovalChoice.Approve, [Author]));
        var mallory = ApprovalPolicyCheck.Check(policy, Verified("Mallory", groups: ["interns"]), ApprovalChoice.Approve, [Author]);
        Assert.Equal(ApprovalPolicyCheck.NotAllowed, mallory?.Reason);
        Assert.Contains("group release-managers", mallory!.Detail);
        Assert.Equal(ApprovalPolicyCheck.NotAllowed, ApprovalPolicyCheck.Check(policy, Verified("Mallory"), ApprovalChoice.Reject, [Author])?.Reason);
    }

    [Fact]
    public void A_typed_name_has_no_groups_so_it_passes_only_as_a_listed_user()
    {
        var policy = ApprovalTestKit.Policy(users: ["bob@contoso.example"], groups: ["release-managers"]);

        Assert.Null(ApprovalPolicyCheck.Check(policy, ApproverIdentity.Typed("bob@contoso.example"), ApprovalChoice.Approve, [Author]));
        Assert.Equal(ApprovalPolicyCheck.NotAllowed, ApprovalPolicyCheck.Check(policy, ApproverIdentity.Typed("release-managers"), ApprovalChoice.Approve, [Author])?.Reason);
    }

    [Fact]
    public void With_nobody_listed_anyone_but_the_author_may_approve()
    {
        var open = ApprovalTestKit.Policy(users: [], groups: []);

        Assert.Null(ApprovalPolicyCheck.Check(open, ApproverIdentity.Typed("Zed"), ApprovalChoice.Approve, [Author]));
        Assert.NotNull(ApprovalPolicyCheck.Check(open, ApproverIdentity.Typed("ann"), ApprovalChoice.Approve, [Author]));
    }

    [Fact]
    public void Every_author_and_committer_of_the_delivered_commits_and_who_asked_for_the_run_is_an_author()
    {
        string[] authors = ["Ann Example <ann@contoso.example>", "Build Bot <bot@contoso.example>", "Dave <dave@contoso.example>", "deploy-bot"];
        var policy = ApprovalTestKit.Policy(users: ["dave@contoso.example", "deploy-bot", "bob@contoso.example"], groups: []);

        Assert.Equal(ApprovalPolicyCheck.SelfApproval, ApprovalPolicyCheck.Check(policy, Verified("dave@contoso.example"), ApprovalChoice.Approve, authors)?.Reason);
        Assert.Equal(ApprovalPolicyCheck.SelfApproval, ApprovalPolicyCheck.Check(policy, Verified("deploy-bot"), ApprovalChoice.Approve, authors)?.Reason);
        Assert.Null(ApprovalPolicyCheck.Check(policy, Verified("bob@contoso.example"), ApprovalChoice.Approve, authors));
    }

    [Fact]
    public void An_unknown_author_matches_nobody() =>
        Assert.Null(ApprovalPolicyCheck.Check(ApprovalTestKit.Policy(users: [], groups: []), ApproverIdentity.Typed("ann"), ApprovalChoice.Approve, authors: []));
}
