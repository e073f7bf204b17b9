namespace Serverless.EndToEnd.Tests;

/// <summary>API keys in a LocalHost's settings (<c>Security:ApiKeys</c>), and clients that present one.</summary>
public static class ApiKeys
{
    /// <summary>Adds each named key with its role to <paramref name="settings"/>.</summary>
    public static Dictionary<string, string> With(this Dictionary<string, string> settings, IEnumerable<(string Name, string Key, string Role)> keys)
    {
        foreach (var (name, key, role) in keys)
        {
            settings[$"Security:ApiKeys:{name}:Key"] = key;
            settings[$"Security:ApiKeys:{name}:Role"] = role;
        }
        return settings;
    }

    /// <summary>A client of the host that presents <paramref name="key"/> (none if null).</summary>
    public static HttpClient Client(LocalHostProcess host, string? key, TimeSpan timeout, bool followRedirects = true)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = followRedirects }) { BaseAddress = host.BaseAddress, Timeout = timeout };
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }
}
