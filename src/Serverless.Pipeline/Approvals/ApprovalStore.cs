using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Storage;

namespace Serverless.Pipeline.Approvals;

/// <summary>
/// Approval requests, decisions and their audit trail in the table <c>{prefix}approvals</c>, one partition per run
/// (partition key = run id), so that everything about a run's approvals is one partition read:
/// <list type="bullet">
/// <item><c>request|{gate}</c>: the request: what is approved, the policy, the nonces of its two links, the notification's fate.</item>
/// <item><c>decision|{gate}|{nonce}</c> (or <c>…|{nonce}|{approver}</c> where several approvals are needed): a decision.
/// Inserted only if absent, so the same link (or the same person on a multi-approval link) cannot decide twice,
/// however many requests race: the insert is the nonce's consumption.</item>
/// <item><c>audit|{ticks}|{random}</c>: every request, notification, issuing of the links, page view, decision and refusal, oldest first.</item>
/// </list>
/// Refusals of links whose run id cannot be read go to the partition <see cref="UnattributedPartition"/>.
/// </summary>
public sealed class ApprovalStore(PipelineTables tables)
{
    public const string UnattributedPartition = "~unattributed";
    private const string RequestPrefix = "request|";
    private const string DecisionPrefix = "decision|";
    private const string AuditPrefix = "audit|";
    private const int MaxText = 16 * 1024;

    internal static readonly JsonSerializerOptions Json = CreateJson();
    public Task<TableClient> Table => tables.Open("approvals");

    public static string DecisionKey(string gate, string nonce, string? approverKey = null) =>
        approverKey is null ? $"{DecisionPrefix}{gate}|{nonce}" : $"{DecisionPrefix}{gate}|{nonce}|{approverKey}";

    public async Task SaveRequestAsync(StoredApprovalRequest stored, CancellationToken cancellation = default)
    {
        var request = stored.Request;
        var table = await Table;
        await table.UpsertEntityAsync(new TableEntity(request.RunId, RequestPrefix + request.Gate)
        {
            ["Gate"] = request.Gate,
            ["Stack"] = request.Stack,
            ["Commit"] = request.Commit.Id,
            ["ArtifactVersion"] = request.ArtifactVersion,
            ["ChangeType"] = request.ChangeType,
            ["RequestedAt"] = request.RequestedAt,
            ["ExpiresAt"] = request.ExpiresAt,
            ["MinimumApprovals"] = request.Policy.MinimumApprovals,
            ["Request"] = JsonSerializer.Serialize(request, Json),
            ["KeyId"] = stored.KeyId,
            ["ApproveNonce"] = stored.ApproveNonce,
            ["RejectNonce"] = stored.RejectNonce,
            ["NotificationStatus"] = stored.Notification.Status.ToString(),
            ["NotificationError"] = Clip(stored.Notification.Error),
            ["NotifiedAt"] = stored.Notification.At,
            ["RemindedAt"] = stored.RemindedAt,
        }, TableUpdateMode.Replace, cancellation);
    }

    /// <summary>Records what became of a notification (or reminder) on the request row.</summary>
    public async Task UpdateNotificationAsync(string runId, string gate, NotificationState notification, DateTimeOffset? remindedAt, CancellationToken cancellation = default)
    {
        var table = await Table;
        var row = new TableEntity(runId, RequestPrefix + gate)
        {
            ["NotificationStatus"] = notification.Status.ToString(),
            ["NotificationError"] = Clip(notification.Error),
            ["NotifiedAt"] = notification.At,
        };
        if (remindedAt is not null) row["RemindedAt"] = remindedAt;
        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge, cancellation);
    }

    public async Task<StoredApprovalRequest?> GetRequestAsync(string runId, string gate, CancellationToken cancellation = default)
    {
        var table = await Table;
        var row = await table.GetEntityIfExistsAsync<TableEntity>(runId, RequestPrefix + gate, cancellationToken: cancellation);
        return row.HasValue && row.Value is not null ? ToRequest(row.Value) : null;
    }

    /// <summary>
    /// Records a decision if its key is new: the atomic consumption of a link's nonce (insert-if-absent).
    /// False when that key was used already, by this or a concurrent request.
    /// </summary>
    public async Task<bool> TryRecordDecisionAsync(string decisionKey, ApprovalDecisionRecord decision, CancellationToken cancellation = default)
    {
        var table = await Table;
        try
        {
            await table.AddEntityAsync(new TableEntity(decision.RunId, decisionKey)
            {
                ["Gate"] = decision.Gate,
                ["Decision"] = decision.Choice.ToString(),
                ["Approved"] = decision.Choice == ApprovalChoice.Approve,
                ["By"] = decision.By,
                ["Verified"] = decision.Verified,
                ["AuthType"] = decision.AuthType,
                ["Comment"] = Clip(decision.Comment),
                ["RequestedAt"] = decision.RequestedAt,
                ["DecidedAt"] = decision.DecidedAt,
                ["WaitSeconds"] = decision.WaitSeconds,
                ["SourceAddress"] = decision.SourceAddress,
                ["Source"] = decision.Source,
            }, cancellation);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<bool> DecisionExistsAsync(string runId, string decisionKey, CancellationToken cancellation = default)
    {
        var table = await Table;
        var row = await table.GetEntityIfExistsAsync<TableEntity>(runId, decisionKey, select: ["PartitionKey"], cancellationToken: cancellation);
        return row.HasValue;
    }

    /// <summary>Takes a decision back when it could not be delivered to the run, so that the link can be used again.</summary>
    public async Task RemoveDecisionAsync(string runId, string decisionKey, CancellationToken cancellation = default)
    {
        var table = await Table;
        await table.DeleteEntityAsync(runId, decisionKey, ETag.All, cancellation);
    }

    public async Task AuditAsync(string? runId, ApprovalAuditEntry entry, CancellationToken cancellation = default)
    {
        var table = await Table;
        var key = $"{AuditPrefix}{entry.At.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}|{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        await table.AddEntityAsync(new TableEntity(runId ?? UnattributedPartition, key)
        {
            ["At"] = entry.At,
            ["Gate"] = entry.Gate,
            ["Action"] = entry.Action,
            ["Outcome"] = entry.Outcome,
            ["Reason"] = entry.Reason,
            ["Status"] = entry.Status,
            ["Detail"] = Clip(entry.Detail),
            ["Decision"] = entry.Decision,
            ["Identity"] = entry.Identity,
            ["Verified"] = entry.Verified,
            ["SourceAddress"] = entry.SourceAddress,
            ["UserAgent"] = entry.UserAgent,
        }, cancellation);
    }

    /// <summary>Everything about one run's approvals: one partition read.</summary>
    public async Task<ApprovalTrail> ReadAsync(string runId, CancellationToken cancellation = default)
    {
        var table = await Table;
        var requests = new List<StoredApprovalRequest>();
        var decisions = new List<ApprovalDecisionRecord>();
        var audit = new List<ApprovalAuditEntry>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == runId, cancellationToken: cancellation))
        {
            if (row.RowKey.StartsWith(RequestPrefix, StringComparison.Ordinal)) requests.Add(ToRequest(row));
            else if (row.RowKey.StartsWith(DecisionPrefix, StringComparison.Ordinal)) decisions.Add(ToDecision(row));
            else if (row.RowKey.StartsWith(AuditPrefix, StringComparison.Ordinal)) audit.Add(ToAudit(row));
        }
        return new ApprovalTrail(runId, requests, [.. decisions.OrderBy(d => d.DecidedAt)], audit);
    }

    private static StoredApprovalRequest ToRequest(TableEntity row) => new(
        JsonSerializer.Deserialize<ApprovalGateRequest>(row.GetString("Request"), Json)!,
        row.GetString("KeyId"),
        row.GetString("ApproveNonce"),
        row.GetString("RejectNonce"),
        new NotificationState(
            Enum.TryParse<NotificationStatus>(row.GetString("NotificationStatus"), out var status) ? status : NotificationStatus.Pending,
            row.GetString("NotificationError"),
            row.GetDateTimeOffset("NotifiedAt")),
        row.GetDateTimeOffset("RemindedAt"));

    private static ApprovalDecisionRecord ToDecision(TableEntity row) => new(
        row.PartitionKey,
        row.GetString("Gate"),
        Enum.TryParse<ApprovalChoice>(row.GetString("Decision"), out var choice) ? choice : ApprovalChoice.Reject,
        row.GetString("By"),
        row.GetBoolean("Verified") ?? false,
        row.GetString("AuthType"),
        row.GetString("Comment"),
        row.GetDateTimeOffset("RequestedAt") ?? default,
        row.GetDateTimeOffset("DecidedAt") ?? default,
        row.GetDouble("WaitSeconds") ?? 0,
        row.GetString("SourceAddress"),
        row.GetString("Source"));

    private static ApprovalAuditEntry ToAudit(TableEntity row) => new(
        row.GetDateTimeOffset("At") ?? default,
        row.GetString("Gate"),
        row.GetString("Action"),
        row.GetString("Outcome"),
        row.GetString("Reason"),
        row.GetInt32("Status"),
        row.GetString("Detail"),
        row.GetString("Decision"),
        row.GetString("Identity"),
        row.GetBoolean("Verified") ?? false,
        row.GetString("SourceAddress"),
        row.GetString("UserAgent"));

    private static string? Clip(string? text) => text is { Length: > MaxText } ? text[..MaxText] : text;

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}

public enum NotificationStatus { Pending, Sent, Failed, NotConfigured }

/// <summary>What became of the last notification of a request.</summary>
public sealed record NotificationState(NotificationStatus Status, string? Error = null, DateTimeOffset? At = null);

/// <summary>An approval request as stored: the request, the key and nonces of its links, and its notification.</summary>
public sealed record StoredApprovalRequest(
    ApprovalGateRequest Request,
    string KeyId,
    string ApproveNonce,
    string RejectNonce,
    NotificationState Notification,
    DateTimeOffset? RemindedAt = null)
{
    public string NonceFor(ApprovalChoice choice) => choice == ApprovalChoice.Approve ? ApproveNonce : RejectNonce;
}

/// <summary>
/// One person's decision on a gate. <see cref="WaitSeconds"/> is the time from the request to this decision:
/// the time a person took on the change.
/// </summary>
public sealed record ApprovalDecisionRecord(
    string RunId,
    string Gate,
    ApprovalChoice Choice,
    string By,
    bool Verified,
    string? AuthType,
    string? Comment,
    DateTimeOffset RequestedAt,
    DateTimeOffset DecidedAt,
    double WaitSeconds,
    string? SourceAddress,
    string? Source = null);

/// <summary>
/// One line of the audit trail. <see cref="Action"/>: request, notify, remind, issue, view, decide.
/// <see cref="Outcome"/>: Requested, Notified, NotificationFailed, Reminded, LinksIssued, Viewed, Approved, Rejected, Refused.
/// <see cref="Reason"/> says why a refusal happened (see <see cref="ApprovalRefusals"/>).
/// </summary>
public sealed record ApprovalAuditEntry(
    DateTimeOffset At,
    string? Gate,
    string Action,
    string Outcome,
    string? Reason = null,
    int? Status = null,
    string? Detail = null,
    string? Decision = null,
    string? Identity = null,
    bool Verified = false,
    string? SourceAddress = null,
    string? UserAgent = null);

/// <summary>Everything recorded about one run's approvals.</summary>
public sealed record ApprovalTrail(
    string RunId,
    IReadOnlyList<StoredApprovalRequest> Requests,
    IReadOnlyList<ApprovalDecisionRecord> Decisions,
    IReadOnlyList<ApprovalAuditEntry> Audit);
