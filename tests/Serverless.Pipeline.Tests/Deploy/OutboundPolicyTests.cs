using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Deploy;
using Serverless.Tests.Shared;

namespace Serverless.Pipeline.Tests.Deploy;

/// <summary>
/// The probe against loopback listeners the test starts, standing in for services inside the host's network: only
/// the allowlisted one is reached; the others get no connection at all and the same refusal, whatever they are.
/// </summary>
public sealed class OutboundPolicyTests : IAsyncLifetime
{
    private const string Refused = "loopback address refused by the outbound policy";

    private LoopbackListener inside = null!;
    private LoopbackListener allowed = null!;
    private ServiceProvider services = null!;

    private HealthProbe Probe => services.GetRequiredService<HealthProbe>();

    public async Task InitializeAsync()
    {
        inside = await LoopbackListener.StartAsync();
        allowed = await LoopbackListener.StartAsync(site =>
        {
            site.MapGet("/health", () => Results.Text("healthy"));
            site.MapGet("/redirect", () => Results.Redirect(inside.Url("/secret").ToString()));
        });
        services = OutboundTestServices.Allowing($"127.0.0.1:{allowed.Port}");
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await allowed.DisposeAsync();
        await inside.DisposeAsync();
    }

    [Fact]
    public async Task A_check_of_a_loopback_listener_is_refused_by_policy_and_makes_no_connection()
    {
        var outcome = await Probe.ProbeAsync(inside.Url("/health"), 200, TimeSpan.FromSeconds(5), retries: 2, retryDelay: TimeSpan.FromMilliseconds(10));

        Assert.False(outcome.Passed);
        Assert.Equal(Refused, outcome.Refusal);
        Assert.Empty(outcome.Attempts);
        Assert.Contains(Refused, outcome.Evidence, StringComparison.Ordinal);
        Assert.Equal(0, inside.Connections);
    }

    [Fact]
    public async Task A_closed_loopback_port_is_refused_in_the_same_words_as_an_open_one()
    {
        var closed = new Uri($"http://127.0.0.1:{LoopbackListener.ClosedPort()}/health");
        var open = inside.Url("/health");

        var closedOutcome = await Probe.ProbeAsync(closed, 200, TimeSpan.FromSeconds(5), retries: 0);
        var openOutcome = await Probe.ProbeAsync(open, 200, TimeSpan.FromSeconds(5), retries: 0);

        Assert.Equal(openOutcome.Refusal, closedOutcome.Refusal);
        Assert.Equal(openOutcome.Evidence.Replace(open.ToString(), "URL", StringComparison.Ordinal),
            closedOutcome.Evidence.Replace(closed.ToString(), "URL", StringComparison.Ordinal));
        Assert.DoesNotContain("connection", closedOutcome.Evidence, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, inside.Connections);
    }

    [Fact]
    public async Task A_name_is_judged_by_the_addresses_it_resolves_to()
    {
        var outcome = await Probe.ProbeAsync(new Uri($"http://localhost:{inside.Port}/health"), 200, TimeSpan.FromSeconds(5), retries: 0);

        Assert.Equal(Refused, outcome.Refusal);
        Assert.Equal(0, inside.Connections);
    }

    [Fact]
    public async Task A_redirect_from_an_allowed_listener_to_a_refused_address_is_not_followed()
    {
        var outcome = await Probe.ProbeAsync(allowed.Url("/redirect"), 200, TimeSpan.FromSeconds(5), retries: 0);

        Assert.False(outcome.Passed);
        Assert.Null(outcome.Refusal);
        Assert.Equal(302, Assert.Single(outcome.Attempts).Status);
        Assert.Equal(0, inside.Connections);
    }

    [Fact]
    public async Task An_allowlisted_loopback_listener_is_still_probed()
    {
        var outcome = await Probe.ProbeAsync(allowed.Url("/health"), 200, TimeSpan.FromSeconds(5), retries: 0);

        Assert.True(outcome.Passed, outcome.Evidence);
        Assert.Equal(1, allowed.Requests);
    }

    [Fact]
    public async Task A_check_taken_from_a_deployment_output_is_refused_alike()
    {
        var outputs = new Dictionary<string, JsonElement> { ["healthUrl"] = JsonSerializer.SerializeToElement(inside.Url("/health").ToString()) };

        var outcome = await Probe.ProbeAsync(new HttpProbe("health", null, "healthUrl", 200, TimeSpan.FromSeconds(5), 0), outputs);

        Assert.Equal(Refused, outcome.Refusal);
        Assert.Equal(0, inside.Connections);
    }

    [Fact]
    public async Task A_refused_health_url_is_not_polled_at_all()
    {
        var work = new TaskCompletionSource();
        // A URL that is watched would be polled until the work ends, which it never does: this stops the test then.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // Returns before the watched work ends: there is nothing to watch.
        var report = await Probe.WatchAsync(inside.Url("/health"), work.Task, TimeSpan.FromMilliseconds(20), cancellation: stop.Token);
        work.SetResult();

        Assert.Equal(Refused, report.Refusal);
        Assert.Equal(0, report.Probes);
        Assert.Empty(report.Outages);
        Assert.Equal(0, inside.Connections);
    }

    [Fact]
    public async Task The_probe_client_itself_connects_only_where_the_policy_allows()
    {
        // What DNS rebinding would meet: the check before the request passed, the connection's own check refuses.
        using var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(HealthProbe.HttpClientName);

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(inside.Url("/health")));

        Assert.IsType<OutboundRefusedException>(failure.InnerException);
        Assert.Equal(Refused, failure.InnerException!.Message);
        Assert.Equal(0, inside.Connections);
        using var answer = await client.GetAsync(allowed.Url("/health"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [Fact]
    public void Metadata_addresses_stay_refused_even_inside_an_allowed_range()
    {
        var policy = new OutboundPolicy(Options.Create(new OutboundOptions { Allow = ["169.254.0.0/16", "168.63.129.0/24", "[fd00::/8]"] }));

        Assert.Equal("cloud metadata address refused by the outbound policy", policy.Refusal(IPAddress.Parse("169.254.169.254"), 80));
        Assert.Equal("cloud metadata address refused by the outbound policy", policy.Refusal(IPAddress.Parse("168.63.129.16"), 80));
        Assert.Equal("cloud metadata address refused by the outbound policy", policy.Refusal(IPAddress.Parse("fd00:ec2::254"), 80));
        Assert.Equal("cloud metadata address refused by the outbound policy", policy.Refusal(IPAddress.Parse("::ffff:169.254.169.254"), 80));
        Assert.Null(policy.Refusal(IPAddress.Parse("169.254.10.1"), 80));
        Assert.Null(policy.Refusal(IPAddress.Parse("fd12::1"), 443));
    }

    [Fact]
    public void An_allowance_with_a_port_allows_only_that_port()
    {
        var policy = new OutboundPolicy(Options.Create(new OutboundOptions { Allow = ["127.0.0.1:5080", "[::1]:5081", "10.1.0.0/16"] }));

        Assert.Null(policy.Refusal(IPAddress.Loopback, 5080));
        Assert.Null(policy.Refusal(IPAddress.Parse("::ffff:127.0.0.1"), 5080));
        Assert.Equal(Refused, policy.Refusal(IPAddress.Loopback, 5081));
        Assert.Null(policy.Refusal(IPAddress.IPv6Loopback, 5081));
        Assert.Null(policy.Refusal(IPAddress.Parse("10.1.200.3"), 22));
        Assert.Equal("private address refused by the outbound policy", policy.Refusal(IPAddress.Parse("10.2.0.1"), 22));
        Assert.Null(policy.Refusal(IPAddress.Parse("20.50.2.1"), 443));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:5080")]
    [InlineData("10.0.0.0/8")]
    [InlineData("10.0.0.0/8:443")]
    [InlineData("::1")]
    [InlineData("[::1]:5080")]
    [InlineData("[fd00::/8]:443")]
    [InlineData("fd00::/8")]
    public void Allowances_are_addresses_or_ranges_with_an_optional_port(string entry) =>
        Assert.Empty(new OutboundOptions { Allow = [entry] }.Problems());

    [Theory]
    [InlineData("localhost:5080")]
    [InlineData("10.0.0.1/8")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("[::1")]
    [InlineData("::1:5080:x")]
    [InlineData("")]
    public void Other_allowances_are_refused_with_the_setting_named(string entry)
    {
        var problem = Assert.Single(new OutboundOptions { Allow = [entry] }.Problems());
        Assert.Contains($"Outbound:Allow entry '{entry}'", problem, StringComparison.Ordinal);
    }
}
