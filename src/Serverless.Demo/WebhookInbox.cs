using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Serverless.LocalServices;

namespace Serverless.Demo;

/// <summary>
/// A chat webhook for the demo (as a Teams or Slack incoming webhook would be): receives the pipeline's
/// approval notifications on a loopback port, so that the demo can follow the signed link like a person.
/// </summary>
public sealed partial class WebhookInbox : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<string> _messages = [];

    public WebhookInbox()
    {
        Url = $"http://127.0.0.1:{FreePort.Next()}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = ReceiveAsync();
    }

    public string Url { get; }

    /// <summary>Waits for a notification that carries an approve link, and returns the link.</summary>
    public async Task<string?> WaitForApproveLinkAsync(TimeSpan timeout, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_messages)
            {
                foreach (var message in _messages)
                    if (ApproveLine().Match(message) is { Success: true } match) return match.Groups[1].Value;
            }
            await Task.Delay(100, cancellation);
        }
        return null;
    }

    public void Dispose() => _listener.Close();

    private async Task ReceiveAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                var text = (string?)JsonNode.Parse(await reader.ReadToEndAsync())?["text"];
                if (text is not null) lock (_messages) _messages.Add(text);
            }
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    [GeneratedRegex(@"^Approve: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex ApproveLine();
}
