using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Pipeline.Build;
using Serverless.Pipeline.Deploy;
using Serverless.Pipeline.Deploy.Arm;
using Serverless.Pipeline.Metrics;

namespace Serverless.Pipeline.Tests.Metrics;

/// <summary>
/// A failed production deployment is still a deployment: it counts in environment usage and in downtime's production
/// deployments, and the downtime seen during it counts. Its run is one release, failed (deployment frequency counts
/// it once, as every release; it has no lead time), and a change failure, as before.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FailedDeploymentTests(AzuriteFixture azurite)
{
    private const string Stack = "net";
    private static readonly string[] Production = ["prod-a", "prod-b", "prod-c"];
    private static DateTimeOffset At(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, TimeSpan.Zero);
    private static readonly MetricsWindow Week = new(At(2, 0), At(9, 0));
    private static readonly DateTimeOffset Now = At(6, 0);

    // G, Wednesday 4 March: dev 09:30–09:32, then prod-a 09:58, prod-b 09:59, prod-c 10:00; commit at 09:00. Succeeded.
    // F, Thursday 5 March: dev 10:30–10:32, then prod-a 10:58, prod-b FAILED at 10:59 (20 s of downtime seen meanwhile),
    //    prod-c 11:00; commit at 10:00. Failed: a change failure, no lead time.
    private static readonly RunRecord Good = FinishedRuns.Released(Stack, "aaaaaaa111111111111111111111111111111111", At(4, 10), Production, committedAt: At(4, 9), changeType: "network");
    private static readonly RunRecord Failed = FinishedRuns.Released(Stack, "fffffff111111111111111111111111111111111", At(5, 11), Production, failing: ["prod-b"],
        committedAt: At(5, 10), changeType: "network");
    private static readonly DowntimeFact[] Downtime =
    [
        new(Good.Input.RunId, "prod-a", "network", 0, At(4, 9, 58)),
        new(Failed.Input.RunId, "prod-b", "network", 20, At(5, 10, 59)),
    ];

    private static StackMetrics Compute()
    {
        var runs = new[] { Good, Failed };
        var summary = DeliverySummaries.Summarize(Week, runs.Select(FinishedRuns.ReleaseOf), runs.SelectMany(RunFacts.Deployments), Downtime);
        return DeliveryMetricsCalculator.Compute(new StackMetricsInput(Stack, summary, [], [], Production, ["dev"]), Week, Now);
    }

    [Fact]
    public void A_failed_deployment_is_among_the_runs_deployments()
    {
        var deployments = RunFacts.Deployments(Failed);

        Assert.Equal(["dev", "prod-a", "prod-b", "prod-c"], deployments.Select(d => d.Environment).Order());
        var failed = deployments.Single(d => d.Environment == "prod-b");
        Assert.Equal((StageKind.Production, "v-fffffff111111111111111111111111111111111", At(5, 10, 59)), (failed.Kind, failed.Version, failed.FinishedAt));
    }

    [Fact]
    public void A_failed_deployment_counts_in_environment_usage()
    {
        var usage = Compute().EnvironmentUsage.ToDictionary(u => u.Environment);

        // prod-b: G's deployment and F's failed one; last used when F's failed (13 h 01 min before now = 0.54 days).
        Assert.Equal(2, usage["prod-b"].Deployments);
        Assert.Equal(At(5, 10, 59), usage["prod-b"].LastUsedAt);
        Assert.Equal(0.54, usage["prod-b"].DaysSinceLastUsed);
        Assert.Equal(2, usage["prod-a"].Deployments);
        Assert.Equal(2, usage["dev"].Deployments);
    }

    [Fact]
    public void A_failed_deployment_counts_in_downtime_as_a_production_deployment_with_its_downtime()
    {
        var downtime = Compute().Downtime.Single();

        // 3 (G) + 3 (F: two that succeeded and the one that failed); both measured, 20 s on the failed one.
        Assert.Equal(new DowntimeMetric("network", 2, 6, 2, 1, 20, 10), downtime);
    }

    [Fact]
    public void The_failed_run_is_one_failed_release_with_no_lead_time_and_a_change_failure_as_before()
    {
        var metrics = Compute();

        Assert.Equal((2, 1), (metrics.DeploymentFrequency.Releases, metrics.DeploymentFrequency.SucceededReleases));
        Assert.Equal(1, metrics.LeadTime.Commits);                          // G's commit only,
        Assert.Equal(3600, metrics.LeadTime.ToLastInstance.MedianSeconds);  // 09:00 to the last instance at 10:00
        Assert.Equal(new ChangeFailureRateMetric(2, 1, 0.5, 1, 0, 0, "low"), metrics.ChangeFailureRate);
    }

    [Fact]
    public void Usage_says_how_many_of_an_environments_deployments_failed()
    {
        var usage = Compute().EnvironmentUsage.ToDictionary(u => u.Environment);

        Assert.Equal((2L, 1L), (usage["prod-b"].Deployments, usage["prod-b"].FailedDeployments));
        Assert.Equal(0, usage["prod-a"].FailedDeployments);
        Assert.True(RunFacts.Deployments(Failed).Single(d => d.Environment == "prod-b").Failed);
    }

    [Fact]
    public async Task Recorded_a_failed_deployment_counts_from_the_rollups_as_from_the_raw_rows()
    {
        var stand = new MetricsStand(azurite);
        await stand.Recorder.RecordRunFinishedAsync(Good);
        await stand.Recorder.RecordRunFinishedAsync(Failed);
        foreach (var observation in Downtime) await stand.Recorder.RecordDowntimeAsync(Stack, observation);

        // 4 March from its rollup, 5 March until 12:00 raw.
        var window = new MetricsWindow(At(4, 0), At(5, 12));
        var (report, raw) = await stand.BothWaysAsync([MetricsStand.Stack(Stack, Production)], window, Now);
        var metrics = report.Stacks.Single();

        Assert.Equal(1, window.Plan().WholeDays);
        Assert.Equal(2, metrics.EnvironmentUsage.Single(u => u.Environment == "prod-b").Deployments);
        Assert.Equal(new DowntimeMetric("network", 2, 6, 2, 1, 20, 10), metrics.Downtime.Single());
        Assert.Equal(MetricsStand.Json(raw), MetricsStand.Json(report));

        // And when the failed day is a whole day too, from its rollup.
        var (later, laterRaw) = await stand.BothWaysAsync([MetricsStand.Stack(Stack, Production)], new MetricsWindow(At(4, 0), At(6, 0)), Now);
        Assert.Equal(2, later.Stacks.Single().EnvironmentUsage.Single(u => u.Environment == "prod-b").Deployments);
        Assert.Equal(MetricsStand.Json(laterRaw), MetricsStand.Json(later));
    }

    [Fact]
    public async Task A_deployment_that_ARM_fails_still_records_the_downtime_seen_meanwhile()
    {
        var stand = new MetricsStand(azurite);
        var files = new Dictionary<string, byte[]> { ["template.json"] = Encoding.UTF8.GetBytes("""{"resources":[]}""") };
        var version = ArtifactVersion.Of(files.Select(f => (f.Key, f.Value)));
        var artifacts = new ArtifactStore(azurite.Blobs, stand.Storage);
        await artifacts.WriteAsync(new ArtifactManifest(Stack, version, "fffffff222222222222222222222222222222222", null, "ann", null, new Dictionary<string, string>(), DateTimeOffset.UtcNow,
            [.. files.Select(f => new ArtifactFile(f.Key, ArtifactVersion.Sha256Hex(f.Value), f.Value.Length))]), files);
        // The health URL is down at the first probe and back at the second; ARM fails the deployment after that. The
        // probes are answered in memory: the address is a literal (no name lookup) that the outbound policy allows,
        // and nothing connects to it.
        var health = new FlakyHealth();
        var outbound = new OutboundPolicy(Options.Create(new OutboundOptions { Allow = ["127.0.0.1:9"] }));
        var deploy = new DeployService(artifacts, stand.Environments, new FailingArm(health.BackUp.Task),
            new HealthProbe(health, outbound, TimeProvider.System, NullLogger<HealthProbe>.Instance),
            new LogStore(azurite.Blobs, stand.Storage), stand.Recorder, TimeProvider.System);
        var target = new EnvironmentTarget("prod-b", "00000000-0000-0000-0000-000000000001", "rg-net-prod-b", "westeurope", null,
            "http://127.0.0.1:9/health", Ephemeral: false);
        var startedAt = DateTimeOffset.UtcNow;

        await Assert.ThrowsAsync<PermanentArmException>(() => deploy.DeployAsync(
            new DeploymentRequest("net.fffffff2", Stack, target, StageKind.Production, version, "rg-net-prod-b", "network")));

        var seen = (await stand.Reader.ReadRawAsync(Stack, startedAt.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1))).ChangeTypes.GetValueOrDefault("network");
        Assert.Equal(1, seen?.MeasuredDeployments);
        Assert.True(seen!.DowntimeSeconds > 0);
    }

    /// <summary>Answers the health probe 503 once, then 200, and says when it is back up.</summary>
    private sealed class FlakyHealth : HttpMessageHandler, IHttpClientFactory
    {
        private int _probes;

        public TaskCompletionSource BackUp { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _probes) == 1) return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
            BackUp.TrySetResult();
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }

    /// <summary>An ARM deployer whose deployment fails for good once <paramref name="failAfter"/> is done.</summary>
    private sealed class FailingArm(Task failAfter) : IArmDeployer
    {
        public async Task<ArmDeploymentOutcome> DeployAsync(ArmDeploymentRequest request, CancellationToken cancellation = default)
        {
            await failAfter.WaitAsync(cancellation);
            throw new PermanentArmException("The deployment failed: Conflict (another operation is in progress on the resource).");
        }

        public Task<WhatIfOutcome> WhatIfAsync(ArmDeploymentRequest request, CancellationToken cancellation = default) => throw new NotSupportedException();

        public Task DeleteResourceGroupAsync(string subscriptionId, string resourceGroup, CancellationToken cancellation = default) => Task.CompletedTask;

        public Task<bool> ResourceGroupExistsAsync(string subscriptionId, string resourceGroup, CancellationToken cancellation = default) => Task.FromResult(true);
    }
}
