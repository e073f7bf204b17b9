using Microsoft.Extensions.Logging;
using Serverless.Pipeline.Hosting;

namespace Serverless.Pipeline.Tests.Hosting;

public sealed class LogRedactionTests
{
    private const string Token = "k1.djEKc2FtcGxlLW5ldHdvcmsuYWJjCmFwcHJvdmFsCmEKMTc2NzIyNTYwMApub25jZW5vbmNlbm9uY2Vubw.SIGsig_SIGsig-SIGsigSIGsigSIGsigSIGsigSIGsigS";

    [Theory]
    [InlineData("POST http://127.0.0.1:5080/api/events/eventgrid?secret=S3cr3t - application/json", "POST http://127.0.0.1:5080/api/events/eventgrid?secret=REDACTED - application/json")]
    [InlineData("?x=1&Secret=S3cr3t&y=2", "?x=1&Secret=REDACTED&y=2")]
    [InlineData("GET /api/stacks?code=functionKey==", "GET /api/stacks?code=REDACTED")]
    [InlineData("GET http://h/api/approvals/" + Token + " - 200", "GET http://h/api/approvals/k1.djEKc2FtcGxlLW5ldHdvcmsuYWJjCmFwcHJvdmFsCmEKMTc2NzIyNTYwMApub25jZW5vbmNlbm9uY2Vubw.REDACTED - 200")]
    [InlineData("RequestPath:/api/approvals/garbage RequestId:1", "RequestPath:/api/approvals/REDACTED RequestId:1")]
    public void Secrets_and_link_signatures_are_redacted(string text, string redacted) =>
        Assert.Equal(redacted, LogRedaction.Redact(text));

    [Theory]
    [InlineData("Executing endpoint 'HTTP: GET /api/approvals/{token}'")]
    [InlineData("POST /api/runs/sample-network.abc/approvals/links")]
    [InlineData("the secret is not the one configured; x=1")]
    public void Other_text_is_left_as_it_is(string text) =>
        Assert.Same(text, LogRedaction.Redact(text));

    [Fact]
    public void The_logger_factory_redacts_the_message_the_values_and_the_scopes_before_any_provider()
    {
        var sink = new CapturingProvider();
        using var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(sink).SetMinimumLevel(LogLevel.Trace))
            .AddLogRedaction()
            .BuildServiceProvider();
        var logger = services.GetRequiredService<ILogger<LogRedactionTests>>();

        using (logger.BeginScope(new Dictionary<string, object?> { ["RequestPath"] = "/api/approvals/" + Token }))
        {
            logger.LogInformation("Request starting {Path}{QueryString}", "/api/approvals/" + Token, "?secret=S3cr3t");
        }
        logger.LogInformation("Nothing to hide: {Count} runs", 3);

        var entry = sink.Entries[0];
        Assert.Equal("Request starting /api/approvals/" + Redacted(Token) + "?secret=REDACTED", entry.Message);
        Assert.Contains(new KeyValuePair<string, object?>("Path", "/api/approvals/" + Redacted(Token)), entry.Values);
        Assert.Contains(new KeyValuePair<string, object?>("QueryString", "?secret=REDACTED"), entry.Values);
        Assert.Contains(new KeyValuePair<string, object?>("{OriginalFormat}", "Request starting {Path}{QueryString}"), entry.Values);
        Assert.Contains("RequestPath", entry.Scopes[0], StringComparison.Ordinal);
        Assert.All(sink.Entries.SelectMany(e => e.Scopes.Append(e.Message).Concat(e.Values.Select(v => v.Value?.ToString() ?? ""))),
            text => Assert.DoesNotContain("SIGsig", text, StringComparison.Ordinal));
        Assert.All(sink.Entries, e => Assert.DoesNotContain("S3cr3t", e.Message, StringComparison.Ordinal));
        Assert.Equal("Nothing to hide: 3 runs", sink.Entries[1].Message);
        Assert.Contains(new KeyValuePair<string, object?>("Count", 3), sink.Entries[1].Values);
    }

    private static string Redacted(string token) => token[..(token.LastIndexOf('.') + 1)] + LogRedaction.Redacted;

    private sealed record Entry(string Message, IReadOnlyList<KeyValuePair<string, object?>> Values, IReadOnlyList<string> Scopes);

    /// <summary>A provider that keeps what it is given, as the console provider would print it (scopes included).</summary>
    private sealed class CapturingProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public List<Entry> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Capturing(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose() { }

        private sealed class Capturing(CapturingProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scopes = new List<string>();
                provider._scopes.ForEachScope((scope, list) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs) list.Add(string.Join(" ", pairs.Select(p => $"{p.Key}:{p.Value}")));
                    else list.Add(scope?.ToString() ?? "");
                }, scopes);
                var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
                provider.Entries.Add(new Entry(formatter(state, exception), values.ToList(), scopes));
            }
        }
    }
}
