namespace Serverless.EndToEnd.Tests;

/// <summary>Webhook deliveries as GitHub sends them, for the tests that drive LocalHost's webhooks.</summary>
internal static class Webhooks
{
    public static string Sign(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>A GitHub push payload of the repository <paramref name="fullName"/>; <paramref name="htmlUrl"/> makes it name another repository's address.</summary>
    public static byte[] GitHubPush(string fullName, string[] commits, string[] times, string path, string? htmlUrl = null)
    {
        var list = commits.Select((id, i) => (JsonNode)new JsonObject
        {
            ["id"] = id,
            ["tree_id"] = TriggerHostFixture.NewCommit(),
            ["distinct"] = true,
            ["message"] = i == commits.Length - 1 ? "Add the third change" : $"Change {i + 1}",
            ["timestamp"] = times[i],
            ["url"] = $"https://github.com/{fullName}/commit/{id}",
            ["author"] = new JsonObject { ["name"] = "Ann Lee", ["email"] = "ann@contoso.example", ["username"] = "ann-lee" },
            ["committer"] = new JsonObject { ["name"] = "Ann Lee", ["email"] = "ann@contoso.example", ["username"] = "ann-lee" },
            ["added"] = new JsonArray(),
            ["removed"] = new JsonArray(),
            ["modified"] = new JsonArray(path),
        }).ToList();
        var payload = new JsonObject
        {
            ["ref"] = "refs/heads/main",
            ["before"] = TriggerHostFixture.NewCommit(),
            ["after"] = commits[^1],
            ["repository"] = new JsonObject
            {
                ["name"] = fullName.Split('/')[1],
                ["full_name"] = fullName,
                ["html_url"] = htmlUrl ?? $"https://github.com/{fullName}",
                ["clone_url"] = $"{htmlUrl ?? $"https://github.com/{fullName}"}.git",
                ["ssh_url"] = htmlUrl is null ? $"git@github.com:{fullName}.git" : null,
                ["pushed_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            },
            ["pusher"] = new JsonObject { ["name"] = "ann-lee", ["email"] = "ann@contoso.example" },
            ["created"] = false,
            ["deleted"] = false,
            ["forced"] = false,
            ["commits"] = new JsonArray([.. list]),
            ["head_commit"] = list[^1].DeepClone(),
        };
        return Encoding.UTF8.GetBytes(payload.ToJsonString());
    }
}
