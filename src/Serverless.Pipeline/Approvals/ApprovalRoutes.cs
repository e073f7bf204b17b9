using Serverless.Pipeline.Http;
namespace Serverless.Pipeline.Approvals;

/// <summary>Route templates of the approval links and the approval trail, below <c>/api</c>, the same in both hosts.</summary>
public static class ApprovalRoutes
{
    /// <summary>GET: the approval page (never decides). POST: the decision. The signed token is the credential.</summary>
    public const string Link = "approvals/{token}";

    /// <summary>GET: a run's approval requests, decisions and audit trail.</summary>
    public const string RunApprovals = "runs/{id}/approvals";

    /// <summary>POST: hands out the signed links of the run's open approval request to an operator (the dashboard's buttons).</summary>
    public const string RunApprovalLinks = "runs/{id}/approvals/links";

    public static string LinkPath(string token) => $"/{Routes.Prefix}/approvals/{token}";
}
