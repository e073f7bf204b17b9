using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Serverless.Pipeline.Stacks;

/// <summary>
/// One spelling for each git repository, so that a push event names the same repository as a registration does:
/// <c>git@github.com:Contoso/Net.git</c>, <c>ssh://git@github.com/contoso/net</c>, <c>https://user@GitHub.com/contoso/net.git/</c>
/// and <c>https://github.com/contoso/net</c> all become <c>https://github.com/contoso/net</c>.
/// Credentials, query, fragment, default ports and trailing <c>/</c> and <c>.git</c> are dropped, ssh and git
/// addresses become https, Azure DevOps ssh addresses become their https form, and the whole URL is lowercased.
/// </summary>
public static partial class RepositoryUrl
{
    /// <summary>The normalized URL, or null if the text is not a repository URL or scp-like ssh address.</summary>
    public static string? Normalize(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return null;
        var text = url.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            // scp-like syntax: [user@]host:path
            var scp = ScpLike().Match(text);
            if (!scp.Success) return null;
            text = $"ssh://{scp.Groups["host"].Value}/{scp.Groups["path"].Value}";
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)) return null;

        var scheme = uri.Scheme.ToLowerInvariant();
        if (scheme == "file")
        {
            var local = TrimRepositorySuffix(Uri.UnescapeDataString(uri.AbsolutePath));
            return local.Length == 0 ? null : ("file://" + (local.StartsWith('/') ? local : "/" + local)).ToLowerInvariant();
        }
        if (scheme is not ("https" or "http" or "ssh" or "git" or "git+ssh" or "ssh+git")) return null;
        if (uri.Host.Length == 0) return null;

        var host = uri.Host.ToLowerInvariant();
        var path = TrimRepositorySuffix(Uri.UnescapeDataString(uri.AbsolutePath).Trim('/'));
        if (path.Length == 0) return null;

        // Azure DevOps: git@ssh.dev.azure.com:v3/org/project/repo is https://dev.azure.com/org/project/_git/repo.
        if (host == "ssh.dev.azure.com" && path.StartsWith("v3/", StringComparison.OrdinalIgnoreCase) && path.Split('/') is { Length: 4 } parts)
        {
            host = "dev.azure.com";
            path = $"{parts[1]}/{parts[2]}/_git/{parts[3]}";
        }
        // A port means something only for http(s); the ports of ssh and git do not carry over to https.
        var port = scheme is "https" or "http" && !uri.IsDefaultPort && uri.Port != 443 ? $":{uri.Port}" : "";
        return $"https://{host}{port}/{path}".ToLowerInvariant();
    }

    /// <summary>A fixed-length key for the normalized URL, usable as a table partition key (URLs hold '/', which keys may not).</summary>
    public static string Key(string normalized) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)))[..32];

    /// <summary>True when both name the same repository.</summary>
    public static bool AreSame(string? a, string? b) => Normalize(a) is { } left && left == Normalize(b);

    private static string TrimRepositorySuffix(string path)
    {
        var trimmed = path.TrimEnd('/');
        while (trimmed.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
            trimmed = trimmed[..^4].TrimEnd('/');
        return trimmed;
    }

    [GeneratedRegex(@"^(?:[^@/\s]+@)?(?<host>[^:/\s]{2,}):(?!//)(?<path>[^\s]+)$")]
    private static partial Regex ScpLike();
}
