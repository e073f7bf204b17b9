using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Serverless.Pipeline.Deploy;
using Serverless.Tests.Shared;

namespace Serverless.Pipeline.Tests.Deploy;

/// <summary>The probe against a loopback site that the outbound policy allows (exactly its port, and one closed port).</summary>
public sealed class HealthProbeTests : IAsyncLifetime
{
    private readonly int closedPort = LoopbackListener.ClosedPort();
    private ServiceProvider services = null!;
    private WebApplication site = null!;
    private volatile bool down;
    private int failuresLeft;

    private HealthProbe Probe => services.GetRequiredService<HealthProbe>();

    private Uri Health => new(site.Urls.First().TrimEnd('/') + "/health");

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        site = builder.Build();
        site.MapGet("/health", () =>
            down || Interlocked.Decrement(ref failuresLeft) >= 0 ? Results.StatusCode(503) : Results.Text("healthy"));
        await site.StartAsync();
        services = OutboundTestServices.Allowing($"127.0.0.1:{Health.Port}", $"127.0.0.1:{closedPort}");
        // The first request JITs the site; on a busy machine that alone can outlast a probe's timeout.
        using var warmUp = new HttpClient();
        (await warmUp.GetAsync(Health)).Dispose();
    }

    public async Task DisposeAsync()
    {
        await site.DisposeAsync();
        await services.DisposeAsync();
    }

    [Fact]
    public async Task Downtime_during_the_watched_work_is_reported_roughly()
    {
        async Task DeployAsync()
        {
            await Task.Delay(400);
            down = true;
            await Task.Delay(600);
            down = false;
            await Task.Delay(400);
        }

        var report = await Probe.WatchAsync(Health, DeployAsync(), TimeSpan.FromMilliseconds(50), requestTimeout: TimeSpan.FromSeconds(5));

        // Loose bounds: the probe samples every 50 ms and the machine may be busy.
        var outages = string.Join("; ", report.Outages.Select(o => $"{o.Start:ss.fff}-{o.End:ss.fff} {o.FirstFailure}"));
        Assert.True(report.Outages.Count is >= 1 and <= 3, outages);
        Assert.Contains(report.Outages, o => o.FirstFailure == "HTTP 503" && o.Seconds >= 0.3);
        Assert.True(report.UnavailableSeconds is >= 0.3 and <= 2.0, $"{report.UnavailableSeconds} s unavailable: {outages}");
        Assert.True(report.FailedProbes >= 2 && report.FailedProbes < report.Probes, $"{report.FailedProbes} of {report.Probes} failed");
        Assert.True(report.Ended - report.Started >= TimeSpan.FromSeconds(0.9), $"watched for {report.Ended - report.Started}");
    }

    [Fact]
    public async Task A_healthy_url_reports_no_downtime()
    {
        var report = await Probe.WatchAsync(Health, Task.Delay(300), TimeSpan.FromMilliseconds(50));

        Assert.Equal(0, report.UnavailableSeconds);
        Assert.Empty(report.Outages);
        Assert.True(report.Probes >= 2);
    }

    [Fact]
    public async Task An_online_check_retries_until_the_expected_status_and_keeps_the_evidence()
    {
        failuresLeft = 2;

        var outcome = await Probe.ProbeAsync(Health, 200, TimeSpan.FromSeconds(2), retries: 3, retryDelay: TimeSpan.FromMilliseconds(20));

        Assert.True(outcome.Passed);
        Assert.Equal([503, 503, 200], outcome.Attempts.Select(a => a.Status));
        Assert.Contains("passed", outcome.Evidence, StringComparison.Ordinal);
        Assert.Contains("attempt 1", outcome.Evidence, StringComparison.Ordinal);
        Assert.Contains("attempt 3", outcome.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_online_check_of_a_closed_port_fails_with_the_connection_error_as_evidence()
    {
        var outcome = await Probe.ProbeAsync(new Uri($"http://127.0.0.1:{closedPort}/health"), 200, TimeSpan.FromSeconds(2), retries: 1, retryDelay: TimeSpan.FromMilliseconds(10));

        Assert.False(outcome.Passed);
        Assert.Equal(2, outcome.Attempts.Count);
        Assert.All(outcome.Attempts, a => Assert.Null(a.Status));
        Assert.Contains("no connection", outcome.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_check_of_the_definition_takes_its_URL_from_a_deployment_output()
    {
        var outputs = new Dictionary<string, JsonElement> { ["healthUrl"] = JsonSerializer.SerializeToElement(Health.ToString()) };

        var passed = await Probe.ProbeAsync(new HttpProbe("health", null, "healthUrl", 200, TimeSpan.FromSeconds(2), 0), outputs);
        var missing = await Probe.ProbeAsync(new HttpProbe("health", null, "nope", 200, TimeSpan.FromSeconds(2), 0), outputs);

        Assert.True(passed.Passed);
        Assert.False(missing.Passed);
        Assert.Contains("'nope'", missing.Evidence, StringComparison.Ordinal);
    }
}
