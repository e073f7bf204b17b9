using Azure.ResourceManager;

namespace Serverless.LocalArm.Tests;

/// <summary>
/// Raw ARM requests through the ArmClient's own pipeline (token, retries, transport). In
/// Azure.ResourceManager 1.7.0 <c>ArmClient.Pipeline</c> is internal, but every
/// <see cref="ArmResource"/> sees it: this is how a client without Azure.ResourceManager.Resources
/// reaches the deployments and what-if APIs.
/// </summary>
internal sealed class RawArm : ArmResource
{
    private RawArm(ArmClient client, ResourceIdentifier id) : base(client, id)
    {
    }

    public static RawArm For(ArmClient client, string subscriptionId) =>
        client.GetResourceClient(() => new RawArm(client, new ResourceIdentifier($"/subscriptions/{subscriptionId}")));

    public sealed record Reply(int Status, JsonNode? Body, Func<string, string?> Header);

    /// <summary>Sends <paramref name="method"/> to a path (with its api-version) or to an absolute URL from a header.</summary>
    public async Task<Reply> SendAsync(RequestMethod method, string pathOrUrl, JsonNode? body = null)
    {
        using var message = Pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        var url = pathOrUrl.StartsWith("https://", StringComparison.Ordinal)
            ? new Uri(pathOrUrl)
            : new Uri(Endpoint, pathOrUrl + (pathOrUrl.Contains('?', StringComparison.Ordinal) ? "" : "?api-version=2024-03-01"));
        request.Uri.Reset(url);
        request.Headers.Add("Accept", "application/json");
        if (body is not null)
        {
            request.Headers.Add("Content-Type", "application/json");
            request.Content = RequestContent.Create(BinaryData.FromString(body.ToJsonString()));
        }
        await Pipeline.SendAsync(message, CancellationToken.None);
        var response = message.Response;
        var text = response.Content.ToString();
        return new Reply(response.Status, text.Length == 0 ? null : JsonNode.Parse(text),
            name => response.Headers.TryGetValue(name, out var value) ? value : null);
    }

    /// <summary>Follows a polling URL (Azure-AsyncOperation or Location) until it gives a final answer.</summary>
    public async Task<Reply> PollAsync(string url, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var reply = await SendAsync(RequestMethod.Get, url);
            var status = reply.Body?["status"]?.GetValue<string>();
            var running = reply.Status == 202 || status is "Running" or "Accepted";
            if (!running)
                return reply;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{url} still running after {timeout}.");
            var hint = reply.Header("retry-after-ms") is { } ms ? int.Parse(ms, System.Globalization.CultureInfo.InvariantCulture) : 1000;
            await Task.Delay(hint);
        }
    }
}
