using System.Text.Json;
using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Triggers;

/// <summary>
/// The repository a GitHub delivery is about, and whether the payload names it one way only. The webhook secret is chosen
/// by <c>repository.full_name</c> and the stacks by the repository's URLs, so a payload whose URLs name another
/// repository than its <c>full_name</c> (a push signed with one repository's secret carrying another's URL) is refused.
/// </summary>
public sealed record GitHubRepositoryIdentity(string? FullName, IReadOnlyList<string> Urls)
{
    /// <summary>The URL fields of a repository object that name it; <c>url</c> is GitHub's API address outside push payloads, so it is read only as a last resort.</summary>
    private static readonly string[] UrlFields = ["html_url", "clone_url", "git_url", "ssh_url", "svn_url"];

    /// <summary>The payload's repository, or null when it has none (an organization's ping).</summary>
    public static GitHubRepositoryIdentity? Of(ReadOnlyMemory<byte>? json)
    {
        if (json is null) return null;
        try
        {
            using var document = JsonDocument.Parse(json.Value);
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("repository", out var repository) || repository.ValueKind != JsonValueKind.Object)
                return null;
            var urls = UrlFields.Select(f => Text(repository, f)).OfType<string>().ToList();
            if (urls.Count == 0 && Text(repository, "url") is { } url) urls.Add(url);
            return new GitHubRepositoryIdentity(Text(repository, "full_name"), urls);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Why the payload does not name one repository, or null when <see cref="FullName"/> and every URL agree.</summary>
    public string? Disagreement()
    {
        if (string.IsNullOrWhiteSpace(FullName)) return "The payload's repository has no full_name: it selects the webhook secret.";
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var url in Urls)
        {
            if (RepositoryUrl.Normalize(url) is not { } normalized || !Uri.TryCreate(normalized, UriKind.Absolute, out var uri))
                return $"The payload's repository URL '{url}' is not a repository URL.";
            hosts.Add(uri.Host);
            if (!string.Equals(uri.AbsolutePath.Trim('/'), FullName.Trim(), StringComparison.OrdinalIgnoreCase))
                return $"The payload's repository is '{FullName}' but its URL '{url}' names another repository; a delivery is signed by, and starts runs of, one repository.";
        }
        return hosts.Count > 1 ? $"The payload's repository URLs are on several hosts ({string.Join(", ", hosts)}); they must name one repository." : null;
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
