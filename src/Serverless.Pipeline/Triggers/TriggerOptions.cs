using System.ComponentModel.DataAnnotations;

namespace Serverless.Pipeline.Triggers;

/// <summary>
/// Settings of the push webhooks (section <c>Triggers</c>). Without a secret a webhook refuses every request with 401.
/// <code>
/// Triggers:EventGrid:Secret                     the ?secret= of the Event Grid subscription's endpoint URL
/// Triggers:EventGrid:AllowedRate                WebHook-Allowed-Rate granted in the CloudEvents handshake ("*" or requests per minute)
/// Triggers:GitHub:Secrets:{owner/repo}          the secret of that repository's webhook, or, where setting names may not
/// Triggers:GitHub:Repositories:{n}:Name/Secret    hold '/' or '-' (app settings, environment variables): a list of both
/// Triggers:GitHub:DefaultSecret                 the secret of every other repository's (or an organization's) webhook
/// Triggers:MaxBodyBytes                         the one body limit of both webhooks, in both hosts (default 25 MiB: GitHub's largest push)
/// Triggers:MaxEventsPerRequest                  the most events of one Event Grid delivery; more are refused with 413
/// </code>
/// </summary>
public sealed class TriggerOptions
{
    public const string Section = "Triggers";
    /// <summary>GitHub sends push payloads of up to 25 MB and does not redeliver a refused one by itself; Event Grid batches are at most 1 MB.</summary>
    public const int DefaultMaxBodyBytes = 25 * 1024 * 1024;
    public const int DefaultMaxEventsPerRequest = 100;

    /// <summary>The largest webhook body accepted, in bytes: LocalHost's access control and the handlers both apply it.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary>The most events accepted in one Event Grid delivery; set the subscription's maxEventsPerBatch to at most this.</summary>
    [Range(1, 5000)]
    public int MaxEventsPerRequest { get; set; } = DefaultMaxEventsPerRequest;

    public EventGridTriggerOptions EventGrid { get; set; } = new();

    public GitHubTriggerOptions GitHub { get; set; } = new();
}

public sealed class EventGridTriggerOptions
{
    /// <summary>The shared secret that every request must carry as <c>?secret=</c>.</summary>
    public string? Secret { get; set; }

    /// <summary>The rate granted in the CloudEvents abuse-protection handshake: <c>*</c> (no limit) or requests per minute.</summary>
    public string AllowedRate { get; set; } = "*";

    public bool IsValidRate() => AllowedRate == "*" || (int.TryParse(AllowedRate, out var rate) && rate > 0);
}

public sealed class GitHubTriggerOptions
{
    /// <summary>The webhook secret of repositories that have none of their own.</summary>
    public string? DefaultSecret { get; set; }

    /// <summary>Webhook secrets by repository full name (<c>owner/repo</c>, any case).</summary>
    public Dictionary<string, string> Secrets { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The same as a list, for configuration sources whose key names cannot hold a repository's name
    /// (<c>Triggers__GitHub__Repositories__0__Name=contoso/platform-network</c>, <c>..__0__Secret=...</c>).
    /// </summary>
    public List<GitHubRepositorySecret> Repositories { get; set; } = [];

    /// <summary>The secret that signs webhooks of this repository, or null if none is configured.</summary>
    public string? SecretFor(string? fullName)
    {
        if (fullName is not null)
        {
            foreach (var (repository, secret) in Secrets.Select(s => ((string?)s.Key, (string?)s.Value)).Concat(Repositories.Select(r => (r.Name, r.Secret))))
            {
                if (string.Equals(repository, fullName, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(secret)) return secret;
            }
        }
        return string.IsNullOrEmpty(DefaultSecret) ? null : DefaultSecret;
    }
}

/// <summary>A repository's webhook secret, by the repository's full name (<c>owner/repo</c>).</summary>
public sealed class GitHubRepositorySecret
{
    public string? Name { get; set; }

    public string? Secret { get; set; }
}
