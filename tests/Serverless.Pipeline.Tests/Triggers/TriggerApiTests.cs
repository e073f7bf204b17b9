using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Pipeline.Triggers;

namespace Serverless.Pipeline.Tests.Triggers;

/// <summary>
/// The webhooks' answers that come before anything is written: handshakes, secrets, signatures, limits and bad input.
/// Storage is unreachable here, so any of these that tried to write would fail.
/// </summary>
public sealed class TriggerApiTests
{
    private const string Secret = "eg-secret";
    private const string GitHubSecret = "gh-secret";
    private readonly TriggerApi _api;

    public TriggerApiTests()
    {
        var options = new TriggerOptions { EventGrid = { Secret = Secret, AllowedRate = "120" }, GitHub = { DefaultSecret = GitHubSecret } };
        options.GitHub.Secrets["contoso/platform-network"] = "network-secret";
        var tables = new PipelineTables(new TableServiceClient(new Uri("http://127.0.0.1:1/devstoreaccount1"), new TableSharedKeyCredential("devstoreaccount1", "a2V5")), Options.Create(new StorageOptions()));
        var dispatcher = new PushDispatcher(new StackStore(tables), new Serverless.Pipeline.Metrics.ChangeLedger(tables), new IgnoredEventStore(tables),
            new RunStarter(TimeProvider.System, RunObservers.None, NullLogger<RunStarter>.Instance), new RunStartGate(), TimeProvider.System, NullLogger<PushDispatcher>.Instance);
        _api = new TriggerApi(dispatcher, Options.Create(options), TimeProvider.System, NullLogger<TriggerApi>.Instance);
    }

    [Fact]
    public async Task The_subscription_validation_event_is_answered_with_its_code()
    {
        var result = await _api.EventGridAsync(Request(Payloads.Read("eventgrid-validation.json"), query: $"?secret={Secret}"), null!);

        var answer = Assert.IsType<JsonHttpResult<SubscriptionValidationAnswer>>(result);
        Assert.Equal(200, answer.StatusCode ?? 200);
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", answer.Value!.ValidationResponse);
    }

    [Fact]
    public async Task The_CloudEvents_handshake_grants_the_origin_and_the_configured_rate()
    {
        var request = Request([], query: $"?secret={Secret}", method: "OPTIONS");
        request.Headers["WebHook-Request-Origin"] = "eventgrid.azure.net";

        var result = Assert.IsType<HeadedResult>(await _api.EventGridHandshakeAsync(request));

        Assert.Equal(200, result.StatusCode);
        Assert.Contains(("WebHook-Allowed-Origin", "eventgrid.azure.net"), result.Headers);
        Assert.Contains(("WebHook-Allowed-Rate", "120"), result.Headers);
        Assert.Equal(400, Status(await _api.EventGridHandshakeAsync(Request([], query: $"?secret={Secret}", method: "OPTIONS"))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?secret=")]
    [InlineData("?secret=eg-secreT")]
    [InlineData("?code=eg-secret")]
    public async Task Without_the_shared_secret_Event_Grid_requests_are_refused_with_401(string query)
    {
        var handshake = Request([], query: query, method: "OPTIONS");
        handshake.Headers["WebHook-Request-Origin"] = "eventgrid.azure.net";

        Assert.Equal(401, Status(await _api.EventGridAsync(Request(Payloads.Read("eventgrid-validation.json"), query: query), null!)));
        Assert.Equal(401, Status(await _api.EventGridHandshakeAsync(handshake)));
    }

    [Fact]
    public async Task The_shared_secret_may_come_in_the_X_Pipeline_Secret_header_instead_of_the_URL()
    {
        var validation = Request(Payloads.Read("eventgrid-validation.json"));
        validation.Headers["X-Pipeline-Secret"] = Secret;
        var handshake = Request([], method: "OPTIONS");
        handshake.Headers["X-Pipeline-Secret"] = Secret;
        handshake.Headers["WebHook-Request-Origin"] = "eventgrid.azure.net";

        var answer = Assert.IsType<JsonHttpResult<SubscriptionValidationAnswer>>(await _api.EventGridAsync(validation, null!));
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", answer.Value!.ValidationResponse);
        Assert.Equal(200, Assert.IsType<HeadedResult>(await _api.EventGridHandshakeAsync(handshake)).StatusCode);
    }

    [Theory]
    [InlineData("eg-secreT", "")]
    [InlineData("", "")]
    [InlineData("wrong", "?secret=eg-secret")]   // the header, when there is one, is the delivery's secret
    public async Task A_wrong_secret_in_the_header_is_refused_with_401(string header, string query)
    {
        var request = Request(Payloads.Read("eventgrid-validation.json"), query: query);
        request.Headers["X-Pipeline-Secret"] = header;

        Assert.Equal(401, Status(await _api.EventGridAsync(request, null!)));
    }

    [Fact]
    public async Task An_Event_Grid_webhook_without_a_configured_secret_accepts_nothing()
    {
        var api = new TriggerApi(null!, Options.Create(new TriggerOptions()), TimeProvider.System, NullLogger<TriggerApi>.Instance);

        Assert.Equal(401, Status(await api.EventGridAsync(Request(Payloads.Read("eventgrid-validation.json"), query: "?secret="), null!)));
    }

    [Fact]
    public async Task Oversized_bodies_and_batches_are_refused_with_413()
    {
        var huge = Encoding.UTF8.GetBytes("[" + new string(' ', TriggerOptions.DefaultMaxBodyBytes) + "]");
        var many = Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat(Encoding.UTF8.GetString(Payloads.Read("cloudevent-push.json")), 101)) + "]");

        Assert.Equal(413, Status(await _api.EventGridAsync(Request(huge, query: $"?secret={Secret}"), null!)));
        Assert.Equal(413, Status(await _api.EventGridAsync(Request(many, query: $"?secret={Secret}", contentType: "application/cloudevents-batch+json"), null!)));
        Assert.Equal(413, Status(await _api.GitHubAsync(Request(huge), null!)));
    }

    [Fact]
    public async Task GitHub_deliveries_must_be_signed_with_the_repositorys_secret()
    {
        var body = Payloads.Read("github-push.json");

        Assert.Equal(401, Status(await _api.GitHubAsync(Request(body, gitHubEvent: "push"), null!)));
        Assert.Equal(401, Status(await _api.GitHubAsync(Request(body, gitHubEvent: "push", signature: GitHubSignature.Sign(body, GitHubSecret)), null!)));
        Assert.Equal(401, Status(await _api.GitHubAsync(Request(body, gitHubEvent: "push", signature: "sha256=" + new string('0', 64)), null!)));
    }

    [Fact]
    public async Task A_signed_ping_is_answered_and_other_events_are_acknowledged_with_a_reason()
    {
        var ping = Payloads.Read("github-ping.json");
        var issue = Encoding.UTF8.GetBytes("""{"action":"opened","issue":{"number":7},"repository":{"full_name":"contoso/platform-data"}}""");

        var pong = await _api.GitHubAsync(Request(ping, gitHubEvent: "ping", signature: GitHubSignature.Sign(ping, "network-secret")), null!);
        var ignored = await _api.GitHubAsync(Request(issue, gitHubEvent: "issues", signature: GitHubSignature.Sign(issue, GitHubSecret)), null!);

        Assert.Equal(200, Status(pong));
        Assert.Contains("Design for failure.", Assert.IsType<JsonHttpResult<GitHubAnswer>>(pong).Value!.Message, StringComparison.Ordinal);
        Assert.Equal(202, Status(ignored));
        Assert.Contains("'issues' is ignored", Assert.IsType<JsonHttpResult<GitHubAnswer>>(ignored).Value!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_but_malformed_GitHub_push_is_refused_with_400()
    {
        var body = Encoding.UTF8.GetBytes("""{"ref":"refs/heads/main","after":"not-a-commit","repository":{"full_name":"contoso/platform-network","html_url":"https://github.com/contoso/platform-network"}}""");

        var result = await _api.GitHubAsync(Request(body, gitHubEvent: "push", signature: GitHubSignature.Sign(body, "network-secret")), null!);

        Assert.Equal(400, Status(result));
        Assert.Contains("after", Errors(result).Keys);
        Assert.Equal(415, Status(await _api.GitHubAsync(Request(body, contentType: "text/plain", gitHubEvent: "push"), null!)));
    }

    private static IDictionary<string, string[]> Errors(IResult result) => result switch
    {
        ValidationProblem v => v.ProblemDetails.Errors,
        ProblemHttpResult { ProblemDetails: Microsoft.AspNetCore.Http.HttpValidationProblemDetails details } => details.Errors,
        _ => throw new Xunit.Sdk.XunitException($"{result.GetType().Name} is not a validation problem."),
    };

    private static int? Status(IResult result) => (result as IStatusCodeHttpResult)?.StatusCode ?? (result is IValueHttpResult ? 200 : null);

    private static HttpRequest Request(byte[] body, string query = "", string method = "POST", string contentType = "application/json", string? gitHubEvent = null, string? signature = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost");
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        if (gitHubEvent is not null) context.Request.Headers["X-GitHub-Event"] = gitHubEvent;
        if (signature is not null) context.Request.Headers["X-Hub-Signature-256"] = signature;
        return context.Request;
    }
}
