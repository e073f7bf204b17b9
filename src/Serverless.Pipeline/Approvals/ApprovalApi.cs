using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Http;

namespace Serverless.Pipeline.Approvals;

/// <summary>
/// The approval links and a run's approval trail.
/// <list type="bullet">
/// <item><c>GET /api/approvals/{token}</c>: the page; it never decides (mail scanners open links).</item>
/// <item><c>POST /api/approvals/{token}</c>: the decision, form-encoded <c>name</c> (when not signed in) and <c>comment</c>.</item>
/// <item><c>GET /api/runs/{id}/approvals</c>: requests, decisions and the audit trail.</item>
/// </list>
/// A POST is checked in this order, and every refusal is audited: signature (403) → expiry (410) → the request it
/// belongs to (404, or 409 when a newer request replaced it) → already used (409) → identity and policy (403) →
/// the run still waiting at the gate (409) → the once-only consumption of the link (409 if another request won).
/// Answers are HTML to browsers (<c>Accept: text/html</c>) and JSON / problem details to everything else.
/// </summary>
public sealed class ApprovalApi(ApprovalSigner signer, ApprovalStore store, ApprovalDecisions decisions, IOptions<ApprovalOptions> options, TimeProvider clock)
{
    public const int MaxCommentLength = 2000;
    public const int MaxFormBytes = 16 * 1024;

    public async Task<IResult> PageAsync(HttpRequest request, string token, DurableTaskClient engine)
    {
        var cancellation = request.HttpContext.RequestAborted;
        var caller = ApprovalCaller.From(request, options.Value);
        var (link, refusal) = await OpenAsync(request, token, caller, ApprovalAudit.View, typedName: null);
        if (refusal is not null) return refusal;
        var (claims, stored) = link!.Value;

        var notice = (await ApprovalRunState.CheckAsync(engine, claims.RunId, cancellation))?.Detail;
        var trail = await store.ReadAsync(claims.RunId, cancellation);
        var tally = ApprovalTally.Of(stored, trail.Decisions);
        if (notice is null && tally.Rejection is not null)
            notice = "This gate has been rejected already.";
        if (notice is null && ApprovalDecisions.KeyKnown(stored, claims.Choice, caller.SignedIn)
            && await store.DecisionExistsAsync(claims.RunId, ApprovalDecisions.DecisionKey(stored, claims.Choice, caller.SignedIn), cancellation))
            notice = "This link has been used already.";
        await decisions.AuditAsync(claims.RunId, new ApprovalAuditEntry(clock.GetUtcNow(), claims.Gate, ApprovalAudit.View, ApprovalAudit.Viewed,
            Detail: notice ?? (caller.PrincipalHeaderIgnored ? "X-MS-CLIENT-PRINCIPAL ignored: App Service authentication is not trusted on this host" : null),
            Decision: Choice(claims.Choice), Identity: caller.SignedIn?.Name, Verified: caller.SignedIn is not null,
            SourceAddress: caller.SourceAddress, UserAgent: caller.UserAgent));

        var approvals = tally.Approvals.Count;
        var action = $"{request.PathBase}{request.Path}";
        return new HtmlPage(ApprovalPage.Render(new ApprovalPageModel(stored.Request, claims.Choice, action, caller.SignedIn, approvals, notice)), StatusCodes.Status200OK);
    }

    public async Task<IResult> DecideAsync(HttpRequest request, string token, DurableTaskClient engine)
    {
        var cancellation = request.HttpContext.RequestAborted;
        var (form, problem) = await ReadFormAsync(request, cancellation);
        if (problem is not null) return problem;
        var typedName = form!.Name;
        var caller = ApprovalCaller.From(request, options.Value);

        var (link, refusal) = await OpenAsync(request, token, caller, ApprovalAudit.Decide, typedName);
        if (refusal is not null) return refusal;
        var (claims, stored) = link!.Value;

        var who = caller.SignedIn ?? (typedName is null ? null : ApproverIdentity.Typed(typedName));
        if (who is null)
        {
            if (options.Value.RequireVerifiedIdentity)
                return await RefuseAsync(request, caller, ApprovalAudit.Decide, claims, null, StatusCodes.Status403Forbidden, ApprovalRefusals.Unverified,
                    "Sign in to decide: this host accepts decisions only from verified approvers.");
            return Problems.Invalid(new Dictionary<string, string[]> { ["name"] = ["Your name is required when you are not signed in."] });
        }

        var outcome = await decisions.DecideAsync(new DecisionAttempt(stored, claims.Choice, who, form.Comment, DecisionChannel.Link, null,
            caller.SourceAddress, caller.UserAgent), engine, cancellation);
        if (!outcome.Succeeded) return Refusal(request, outcome.Status, outcome.Reason!, outcome.Detail);
        var decidedAt = outcome.Recorded!.DecidedAt;

        if (WantsHtml(request))
        {
            var title = claims.Choice == ApprovalChoice.Approve ? "Approved" : "Rejected";
            return new HtmlPage(ApprovalPage.Message(title,
                $"Thank you, {who.Name}: your {(claims.Choice == ApprovalChoice.Approve ? "approval" : "rejection")} of {stored.Request.Stack} at {stored.Request.Commit.Id} was recorded.",
                success: true), StatusCodes.Status200OK);
        }
        return Results.Json(new ApprovalDecided(claims.RunId, claims.Gate, Choice(claims.Choice), who.Name, who.Verified, decidedAt),
            ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    public async Task<IResult> ListAsync(HttpRequest request, string id)
    {
        if (!RunId.TryParse(id, out _)) return Problems.NotFound($"There is no run '{id}'.");
        var trail = await store.ReadAsync(id, request.HttpContext.RequestAborted);
        return Results.Json(ApprovalTrailView.From(trail, clock.GetUtcNow()), ApiJson.Options);
    }

    /// <summary>Checks the token and finds the request it belongs to; on failure, the (audited) refusal.</summary>
    private async Task<((ApprovalClaims Claims, StoredApprovalRequest Stored)? Link, IResult? Refusal)> OpenAsync(
        HttpRequest request, string token, ApprovalCaller caller, string action, string? typedName)
    {
        var who = caller.SignedIn ?? (typedName is null ? null : ApproverIdentity.Typed(typedName));
        var check = signer.Verify(token);
        switch (check.Status)
        {
            case TokenStatus.Malformed:
                return (null, await RefuseAsync(request, caller, action, check.Claims, who, StatusCodes.Status403Forbidden, ApprovalRefusals.Malformed,
                    "This is not a valid approval link."));
            case TokenStatus.UnknownKey:
                return (null, await RefuseAsync(request, caller, action, check.Claims, who, StatusCodes.Status403Forbidden, ApprovalRefusals.UnknownKey,
                    $"This approval link was signed with a key ('{check.KeyId}') that this service does not have; it may have been retired. Ask for a new link."));
            case TokenStatus.BadSignature:
                return (null, await RefuseAsync(request, caller, action, check.Claims, who, StatusCodes.Status403Forbidden, ApprovalRefusals.BadSignature,
                    "This approval link has been altered: its signature does not match."));
            case TokenStatus.Expired:
                return (null, await RefuseAsync(request, caller, action, check.Claims, who, StatusCodes.Status410Gone, ApprovalRefusals.Expired,
                    $"This approval link expired at {check.Claims!.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, when the gate timed out."));
        }

        var claims = check.Claims!;
        var stored = await store.GetRequestAsync(claims.RunId, claims.Gate, request.HttpContext.RequestAborted);
        if (stored is null)
            return (null, await RefuseAsync(request, caller, action, claims, who, StatusCodes.Status404NotFound, ApprovalRefusals.NoRequest,
                $"No approval was requested at gate '{claims.Gate}' of run {claims.RunId}."));
        if (!string.Equals(stored.NonceFor(claims.Choice), claims.Nonce, StringComparison.Ordinal))
            return (null, await RefuseAsync(request, caller, action, claims, who, StatusCodes.Status409Conflict, ApprovalRefusals.LinkReplaced,
                "This link belongs to an earlier approval request of this run; a newer request replaced it."));
        return ((claims, stored), null);
    }

    private async Task<IResult> RefuseAsync(
        HttpRequest request, ApprovalCaller caller, string action, ApprovalClaims? claims, ApproverIdentity? who, int status, string reason, string detail)
    {
        // A link whose signature failed names a run that nobody vouches for: the entry says so.
        var unverifiedClaim = reason is ApprovalRefusals.BadSignature or ApprovalRefusals.UnknownKey;
        await decisions.AuditRefusalAsync(claims?.RunId, claims?.Gate, action, claims?.Choice, who, status, reason,
            unverifiedClaim ? detail + " (run and gate as claimed by the unverified link)" : detail, caller.SourceAddress, caller.UserAgent);
        return Refusal(request, status, reason, detail);
    }

    /// <summary>A refusal as the caller reads it: an HTML page for browsers, problem details with the reason for everything else.</summary>
    private static IResult Refusal(HttpRequest request, int status, string reason, string detail)
    {
        var title = status switch
        {
            StatusCodes.Status403Forbidden => "This link may not be used.",
            StatusCodes.Status404NotFound => "Not found.",
            StatusCodes.Status410Gone => "This link has expired.",
            _ => "This link cannot decide now.",
        };
        if (WantsHtml(request)) return new HtmlPage(ApprovalPage.Message(title, detail, success: false), status);
        return Results.Problem(title: title, detail: detail, statusCode: status,
            extensions: new Dictionary<string, object?> { ["reason"] = reason });
    }

    private static async Task<(ApprovalForm? Form, IResult? Problem)> ReadFormAsync(HttpRequest request, CancellationToken cancellation)
    {
        if (request.ContentLength > MaxFormBytes) return (null, Problems.TooLarge(MaxFormBytes));
        string? name = null, comment = null;
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(new FormOptions
                {
                    ValueCountLimit = 20,
                    KeyLengthLimit = 100,
                    ValueLengthLimit = MaxFormBytes,
                    MultipartBodyLengthLimit = MaxFormBytes,
                }, cancellation);
            }
            catch (InvalidDataException)
            {
                return (null, Problems.TooLarge(MaxFormBytes));
            }
            name = form["name"].FirstOrDefault();
            comment = form["comment"].FirstOrDefault();
        }
        else if (request.ContentLength is > 0 || !string.IsNullOrEmpty(request.ContentType))
        {
            return (null, Results.Problem(title: "Unsupported media type.",
                detail: $"The body must be a form (application/x-www-form-urlencoded), not '{request.ContentType}'.",
                statusCode: StatusCodes.Status415UnsupportedMediaType));
        }

        var errors = new Dictionary<string, string[]>();
        name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (name?.Length > ApproverIdentity.MaxNameLength) errors["name"] = [$"The name may be at most {ApproverIdentity.MaxNameLength} characters."];
        if (name is not null && name.Any(char.IsControl)) errors["name"] = ["The name may not contain control characters."];
        if (comment?.Length > MaxCommentLength) errors["comment"] = [$"The comment may be at most {MaxCommentLength} characters."];
        return errors.Count > 0 ? (null, Problems.Invalid(errors)) : (new ApprovalForm(name, comment), null);
    }

    private static bool WantsHtml(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));

    private static string Choice(ApprovalChoice choice) => choice == ApprovalChoice.Approve ? "approve" : "reject";

    private sealed record ApprovalForm(string? Name, string? Comment);
}

/// <summary>The JSON answer to a decision.</summary>
public sealed record ApprovalDecided(string RunId, string Gate, string Decision, string By, bool Verified, DateTimeOffset DecidedAt);
