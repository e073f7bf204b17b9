using System.Globalization;
using System.Text;
using static Serverless.Pipeline.Http.HtmlPage;

namespace Serverless.Pipeline.Approvals;

/// <summary>What the approval page shows. <see cref="Notice"/>: why this link cannot decide now (the form is then left out).</summary>
public sealed record ApprovalPageModel(
    ApprovalGateRequest Request,
    ApprovalChoice Choice,
    string FormAction,
    ApproverIdentity? SignedIn,
    int ApprovalsSoFar,
    string? Notice);

/// <summary>The approval page and the answers to a decision, rendered on the server; every value is HTML-encoded.</summary>
public static class ApprovalPage
{
    public static string Render(ApprovalPageModel model)
    {
        var request = model.Request;
        var approve = model.Choice == ApprovalChoice.Approve;
        var verb = approve ? "Approve" : "Reject";
        var title = $"{verb} the release of {request.Stack}";
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>{Encode(title)}</h1>");
        body.Append("<table>");
        Row(body, "Stack", request.Stack);
        Row(body, "Run", request.RunId);
        Row(body, "Commit", request.Commit.Id + (string.IsNullOrWhiteSpace(request.Commit.Repository) ? "" : $" in {request.Commit.Repository}"));
        if (!string.IsNullOrWhiteSpace(request.Commit.Message))
            body.Append(CultureInfo.InvariantCulture, $"<tr><th>Message</th><td><pre>{Encode(request.Commit.Message)}</pre></td></tr>");
        Row(body, "Author", string.IsNullOrWhiteSpace(request.Commit.Author) ? "unknown" : request.Commit.Author);
        if (request.Commit.CommittedAt is { } committed) Row(body, "Committed", Time(committed));
        Row(body, "Change type", string.IsNullOrWhiteSpace(request.ChangeType) ? "not classified" : request.ChangeType);
        Row(body, "Artifact version", request.ArtifactVersion);
        Row(body, "Requested", Time(request.RequestedAt));
        Row(body, "Link expires", Time(request.ExpiresAt));
        var policy = request.Policy;
        var approvers = policy.Users.Concat(policy.Groups.Select(g => $"group {g}")).ToList();
        Row(body, "Approvals", $"{model.ApprovalsSoFar} of {policy.MinimumApprovals} needed" +
                               (approvers.Count == 0 ? "; anyone may approve" : $"; from {string.Join(", ", approvers)}") +
                               (policy.AuthorMayApprove ? "" : "; not by the author"));
        body.Append("</table>");

        body.Append("<h2>Test stages</h2>");
        if (request.TestResults.Count == 0)
        {
            body.Append("<p class=\"muted\">This run has no test stages.</p>");
        }
        else
        {
            body.Append("<table>");
            foreach (var stage in request.TestResults)
                body.Append(CultureInfo.InvariantCulture, $"<tr><th>{Encode(stage.Name)}</th><td>{Encode(stage.Status.ToString())}{(string.IsNullOrWhiteSpace(stage.Detail) ? "" : " — " + Encode(stage.Detail))}</td></tr>");
            body.Append("</table>");
        }

        if (model.Notice is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"notice\">{Encode(model.Notice)}</p>");
            return Document(Encode(title), body.ToString());
        }

        body.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"{Encode(model.FormAction)}\">");
        if (model.SignedIn is { } who)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p>Signed in as <strong>{Encode(who.Name)}</strong> (verified).</p>");
        }
        else
        {
            body.Append("<label for=\"name\">Your name</label>");
            body.Append(CultureInfo.InvariantCulture, $"<input id=\"name\" name=\"name\" required maxlength=\"{ApproverIdentity.MaxNameLength}\" autocomplete=\"name\">");
            body.Append("<p class=\"muted\">You are not signed in: your name is recorded as you type it, marked as not verified.</p>");
        }
        body.Append(CultureInfo.InvariantCulture, $"<label for=\"comment\">Comment (optional)</label><textarea id=\"comment\" name=\"comment\" rows=\"3\" maxlength=\"{ApprovalApi.MaxCommentLength}\"></textarea>");
        body.Append(CultureInfo.InvariantCulture, $"<button type=\"submit\"{(approve ? "" : " class=\"reject\"")}>{verb}</button>");
        body.Append("</form>");
        return Document(Encode(title), body.ToString());
    }

    /// <summary>A short answer: the decision was recorded, or why the link was refused.</summary>
    public static string Message(string title, string detail, bool success) =>
        Document(Encode(title), $"<h1>{Encode(title)}</h1><p class=\"{(success ? "ok" : "refused")}\">{Encode(detail)}</p>");

    private static void Row(StringBuilder body, string name, string? value) =>
        body.Append(CultureInfo.InvariantCulture, $"<tr><th>{Encode(name)}</th><td>{Encode(value)}</td></tr>");

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
