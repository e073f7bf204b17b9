using System.Text.RegularExpressions;

namespace Serverless.Pipeline.Approvals;

/// <summary>
/// Settings of the approval gate (section <c>Approvals</c>). Signing keys are secrets: in Azure they come
/// from Key Vault references in app settings, locally from the command line or environment; never from the repository.
/// </summary>
public sealed partial class ApprovalOptions
{
    public const string Section = "Approvals";

    /// <summary>The key id that <see cref="SigningKey"/> is known by.</summary>
    public const string DefaultKeyId = "default";

    /// <summary>The shortest signing key accepted: HMAC-SHA256 wants at least 256 bits.</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>Signing keys by key id, each a base64 secret (<c>Approvals:SigningKeys:{keyId}</c>). Old keys stay here after rotation until their links have expired.</summary>
    public Dictionary<string, string> SigningKeys { get; set; } = [];

    /// <summary>The key id that signs new links. May be left out when only one key is configured.</summary>
    public string? ActiveKeyId { get; set; }

    /// <summary>A single base64 signing key, known as key id <c>default</c> (the Bicep sets <c>Approvals__SigningKey</c> from Key Vault).</summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// The public origin (and optional path base) of the API, e.g. <c>https://pipeline.contoso.example</c>;
    /// links are <c>{PublicBaseUrl}/api/approvals/{token}</c>. An activity has no request to take it from,
    /// so set it in every real deployment; without it links point at <see cref="FallbackBaseUrl"/>.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    public const string FallbackBaseUrl = "http://127.0.0.1";

    /// <summary>An incoming webhook (Teams or Slack) that receives <c>{"text": "..."}</c> with the links. Empty: the links are only logged (redacted).</summary>
    public string? NotificationWebhookUrl { get; set; }

    /// <summary>How long a notification may take before it counts as failed.</summary>
    public int NotificationTimeoutSeconds { get; set; } = 10;

    /// <summary>At which fraction of the timeout the approvers are reminded (0.5: half way); 0 turns reminders off.</summary>
    public double ReminderFraction { get; set; } = 0.5;

    /// <summary>
    /// Whether to believe the <c>X-MS-CLIENT-PRINCIPAL</c> header. Only App Service authentication may set it;
    /// anywhere else a client could forge it. Unset: trusted only when App Service says authentication is on
    /// (<c>WEBSITE_AUTH_ENABLED=true</c>).
    /// </summary>
    public bool? TrustClientPrincipalHeader { get; set; }

    /// <summary>Refuse decisions from people who are not signed in (a typed name is then not enough).</summary>
    public bool RequireVerifiedIdentity { get; set; }

    public bool TrustsClientPrincipalHeader =>
        TrustClientPrincipalHeader ?? string.Equals(Environment.GetEnvironmentVariable("WEBSITE_AUTH_ENABLED"), "true", StringComparison.OrdinalIgnoreCase);

    public bool HasSigningKeys => !string.IsNullOrWhiteSpace(SigningKey) || SigningKeys.Count > 0;

    /// <summary>Every problem with these settings; empty when they are valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var ids = new List<string>();
        foreach (var (id, secret) in SigningKeys)
        {
            ids.Add(id);
            if (!KeyIdPattern().IsMatch(id))
                problems.Add($"Approvals:SigningKeys:{id}: a key id is 1 to 32 letters, digits, '-' or '_'.");
            if (KeyProblem(secret) is { } problem) problems.Add($"Approvals:SigningKeys:{id}: {problem}");
        }
        if (!string.IsNullOrWhiteSpace(SigningKey))
        {
            if (ids.Contains(DefaultKeyId, StringComparer.OrdinalIgnoreCase))
                problems.Add($"Approvals:SigningKey and Approvals:SigningKeys:{DefaultKeyId} both define key id '{DefaultKeyId}'; keep one.");
            ids.Add(DefaultKeyId);
            if (KeyProblem(SigningKey) is { } problem) problems.Add($"Approvals:SigningKey: {problem}");
        }
        if (ActiveKeyId is { Length: > 0 } active)
        {
            if (!ids.Contains(active, StringComparer.OrdinalIgnoreCase))
                problems.Add($"Approvals:ActiveKeyId '{active}' names no configured key (configured: {(ids.Count == 0 ? "none" : string.Join(", ", ids))}).");
        }
        else if (ids.Count > 1 && !ids.Contains(DefaultKeyId, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"Several signing keys are configured ({string.Join(", ", ids)}): set Approvals:ActiveKeyId to the one that signs new links.");
        }
        if (!string.IsNullOrWhiteSpace(PublicBaseUrl) &&
            (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("https" or "http") || baseUrl.Query.Length > 0 || baseUrl.Fragment.Length > 0))
            problems.Add($"Approvals:PublicBaseUrl '{PublicBaseUrl}' is not an absolute http(s) URL without query or fragment.");
        if (!string.IsNullOrWhiteSpace(NotificationWebhookUrl) &&
            (!Uri.TryCreate(NotificationWebhookUrl, UriKind.Absolute, out var hook) || hook.Scheme is not ("https" or "http")))
            problems.Add("Approvals:NotificationWebhookUrl is not an absolute http(s) URL.");
        if (ReminderFraction is < 0 or >= 1 || double.IsNaN(ReminderFraction))
            problems.Add($"Approvals:ReminderFraction must be at least 0 and less than 1 (0 turns reminders off), not {ReminderFraction}.");
        if (NotificationTimeoutSeconds is < 1 or > 120)
            problems.Add("Approvals:NotificationTimeoutSeconds must be from 1 to 120.");
        return problems;
    }

    /// <summary>The configured keys by id (case-insensitive), decoded; call only when <see cref="Problems"/> is empty.</summary>
    public Dictionary<string, byte[]> DecodedKeys()
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, secret) in SigningKeys) keys[id] = Convert.FromBase64String(secret.Trim());
        if (!string.IsNullOrWhiteSpace(SigningKey)) keys[DefaultKeyId] = Convert.FromBase64String(SigningKey.Trim());
        return keys;
    }

    /// <summary>The key id that signs new links; call only when <see cref="Problems"/> is empty and keys exist.</summary>
    public string ResolveActiveKeyId(IReadOnlyDictionary<string, byte[]> keys)
    {
        if (ActiveKeyId is { Length: > 0 } active) return keys.Keys.First(k => string.Equals(k, active, StringComparison.OrdinalIgnoreCase));
        return keys.Count == 1 ? keys.Keys.Single() : DefaultKeyId;
    }

    private static string? KeyProblem(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret)) return "the key is empty.";
        if (secret.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
            return "the Key Vault reference was not resolved: check that the app's identity may read the secret and that the secret exists.";
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(secret.Trim());
        }
        catch (FormatException)
        {
            return "the key is not base64.";
        }
        return bytes.Length < MinimumKeyBytes ? $"the key has {bytes.Length} bytes; use at least {MinimumKeyBytes} random bytes (e.g. openssl rand -base64 48)." : null;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    internal static partial Regex KeyIdPattern();
}
