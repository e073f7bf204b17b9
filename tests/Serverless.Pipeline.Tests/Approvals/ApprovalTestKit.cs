using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Pipeline.Approvals;

namespace Serverless.Pipeline.Tests.Approvals;

/// <summary>Keys, options, requests and stand-ins shared by the approval tests. The keys are test values made up here.</summary>
internal static class ApprovalTestKit
{
    public static readonly string Key1 = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    public static readonly string Key2 = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());

    public static ApprovalOptions Options(string active = "k1", params (string Id, string Key)[] keys)
    {
        var options = new ApprovalOptions { ActiveKeyId = active, PublicBaseUrl = "https://pipeline.example" };
        foreach (var (id, key) in keys.Length == 0 ? [("k1", Key1)] : keys) options.SigningKeys[id] = key;
        return options;
    }

    public static ApprovalKeyRing Ring(ApprovalOptions options) =>
        new(Microsoft.Extensions.Options.Options.Create(options), NullLogger<ApprovalKeyRing>.Instance);

    public static ApprovalPolicy Policy(int minimum = 1, bool authorMayApprove = false, string[]? users = null, string[]? groups = null) =>
        new(users ?? ["bob@contoso.example", "carol@contoso.example"], groups ?? ["release-managers"], minimum, authorMayApprove, TimeSpan.FromHours(1));

    public static ApprovalGateRequest Request(string runId, DateTimeOffset at, ApprovalPolicy? policy = null, string gate = "approval") => new(
        runId,
        runId.Split('.')[0],
        gate,
        new CommitInfo(runId.Split('.')[1], "https://git.example/platform/net.git", "Widen the <subnet> & \"peer\" it", "Ann Example <ann@contoso.example>", at.AddMinutes(-30)),
        "0123456789abcdef",
        "network",
        at,
        at.AddHours(1),
        policy ?? Policy(),
        [new StageSummary("dev", StageStatus.Succeeded, "applied 0123456789abcdef"), new StageSummary("staging", StageStatus.Succeeded)],
        ["Ann Example <ann@contoso.example>"]);

    public static string NewRunId() => $"net.{Guid.NewGuid():N}{Guid.NewGuid():N}"[..44];

    public static string TokenOf(string link) => link[(link.LastIndexOf('/') + 1)..];
}

/// <summary>A clock the test moves.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Keeps every log line, to check what reaches the log.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue(formatter(state, exception));
}

/// <summary>A webhook: answers with the given status and keeps the bodies it received.</summary>
internal sealed class FakeWebhook(HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler, IHttpClientFactory
{
    public HttpStatusCode Status { get; set; } = status;
    public ConcurrentQueue<string> Bodies { get; } = new();

    public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Bodies.Enqueue(await request.Content!.ReadAsStringAsync(cancellationToken));
        return new HttpResponseMessage(Status);
    }
}
