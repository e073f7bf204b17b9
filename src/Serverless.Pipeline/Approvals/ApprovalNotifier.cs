using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Serverless.Pipeline.Approvals;

/// <summary>
/// Tells the approvers: writes the request to the log with the links' signatures redacted, and posts
/// <c>{"text": "..."}</c> (accepted by both Teams and Slack incoming webhooks) to <c>Approvals:NotificationWebhookUrl</c>.
/// Never throws: a failed notification is reported to the caller, which records it; it does not fail the run.
/// </summary>
public sealed class ApprovalNotifier(IHttpClientFactory http, IOptions<ApprovalOptions> options, TimeProvider clock, ILogger<ApprovalNotifier> log)
{
    public const string HttpClientName = "approvals-webhook";

    public async Task<NotificationState> NotifyAsync(ApprovalGateRequest request, ApprovalLinks links, bool reminder, CancellationToken cancellation = default)
    {
        log.LogInformation(
            "{Kind} for run {RunId} gate {Gate} ({Stack} at {Commit}, artifact {Version}): approve {ApproveUrl} reject {RejectUrl}; expires {ExpiresAt:u}",
            reminder ? "Approval reminder" : "Approval requested", request.RunId, request.Gate, request.Stack, request.Commit.Id, request.ArtifactVersion,
            ApprovalToken.Redact(links.ApproveUrl), ApprovalToken.Redact(links.RejectUrl), links.ExpiresAt);

        var webhook = options.Value.NotificationWebhookUrl;
        if (string.IsNullOrWhiteSpace(webhook)) return new NotificationState(NotificationStatus.NotConfigured, null, clock.GetUtcNow());

        try
        {
            using var client = http.CreateClient(HttpClientName);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.NotificationTimeoutSeconds));
            using var response = await client.PostAsJsonAsync(webhook, new { text = Message(request, links, reminder) }, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                log.LogInformation("Approval notification for run {RunId} gate {Gate} delivered to {WebhookHost}", request.RunId, request.Gate, HostOf(webhook));
                return new NotificationState(NotificationStatus.Sent, null, clock.GetUtcNow());
            }
            var error = $"the webhook at {HostOf(webhook)} answered {(int)response.StatusCode} {response.ReasonPhrase}";
            log.LogWarning("Approval notification for run {RunId} gate {Gate} failed: {Error}", request.RunId, request.Gate, error);
            return new NotificationState(NotificationStatus.Failed, error, clock.GetUtcNow());
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or InvalidOperationException)
        {
            var error = e is OperationCanceledException && !cancellation.IsCancellationRequested
                ? $"the webhook at {HostOf(webhook)} did not answer within {options.Value.NotificationTimeoutSeconds} s"
                : $"the webhook at {HostOf(webhook)} could not be reached: {e.Message}";
            log.LogWarning("Approval notification for run {RunId} gate {Gate} failed: {Error}", request.RunId, request.Gate, error);
            return new NotificationState(NotificationStatus.Failed, error, clock.GetUtcNow());
        }
    }

    /// <summary>The message text: plain text with bare links, which both Teams and Slack turn into links.</summary>
    public static string Message(ApprovalGateRequest request, ApprovalLinks links, bool reminder)
    {
        var text = new StringBuilder();
        text.Append(reminder ? "Reminder: approval still needed" : "Approval needed")
            .Append(CultureInfo.InvariantCulture, $" for {request.Stack} (run {request.RunId}, gate {request.Gate}).\n");
        var commit = request.Commit;
        text.Append(CultureInfo.InvariantCulture, $"Commit {commit.Id}");
        if (!string.IsNullOrWhiteSpace(commit.Author)) text.Append(CultureInfo.InvariantCulture, $" by {commit.Author}");
        if (FirstLine(commit.Message) is { } subject) text.Append(CultureInfo.InvariantCulture, $": {subject}");
        text.Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"Artifact {request.ArtifactVersion}");
        if (!string.IsNullOrWhiteSpace(request.ChangeType)) text.Append(CultureInfo.InvariantCulture, $", change type {request.ChangeType}");
        text.Append('\n');
        if (request.TestResults.Count > 0)
            text.Append("Tests: ").AppendJoin(", ", request.TestResults.Select(t => $"{t.Name} {t.Status}")).Append('\n');
        var policy = request.Policy;
        text.Append(CultureInfo.InvariantCulture, $"Needs {policy.MinimumApprovals} approval{(policy.MinimumApprovals == 1 ? "" : "s")}");
        var approvers = policy.Users.Concat(policy.Groups.Select(g => $"group {g}")).ToList();
        if (approvers.Count > 0) text.Append(" from ").AppendJoin(", ", approvers);
        text.Append(CultureInfo.InvariantCulture, $"; expires {links.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC.\n");
        text.Append("Approve: ").Append(links.ApproveUrl).Append('\n');
        text.Append("Reject: ").Append(links.RejectUrl);
        return text.ToString();
    }

    private static string? FirstLine(string? message)
    {
        var line = message?.Split('\n', 2)[0].Trim();
        if (string.IsNullOrEmpty(line)) return null;
        return line.Length > 200 ? line[..200] + "…" : line;
    }

    /// <summary>Webhook URLs are secrets (Slack's and Teams' carry their credential in the path): only the host is ever shown.</summary>
    private static string HostOf(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : "(invalid URL)";
}
