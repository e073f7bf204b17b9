using System.Globalization;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Serverless.Dashboard.Tests;

/// <summary>The dashboard in headless Chromium, against LocalHost's API after a real run completed.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardPageTests(DashboardFixture app, ITestOutputHelper output)
{
    private const string Stack = DashboardFixture.Stack;
    private static readonly LocatorAssertionsToHaveCountOptions CountWait = new() { Timeout = 30_000 };

    [Fact]
    public async Task The_dashboard_shows_the_run_its_stage_timeline_the_metrics_and_the_estate_and_follows_new_runs_live()
    {
        var metrics = await StackMetricsAsync();
        var (page, problems) = await app.NewPageAsync(1366, 900);
        var posts = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Method != "GET") posts.Add($"{request.Method} {request.Url}");
        };

        // "/" leads to the dashboard, served with a strict policy: no inline script, no framing, no sniffing.
        var response = await page.GotoAsync($"/?stack={Stack}");
        Assert.NotNull(response);
        Assert.EndsWith("/dashboard/", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        var headers = await response!.AllHeadersAsync();
        Assert.Contains("script-src 'self'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("DENY", headers["x-frame-options"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal($"?stack={Stack}", new Uri(page.Url).Query);

        // The run is listed, with one bar per stage of the API's answer, in order.
        var run = app.CompletedRun;
        var card = page.Locator($"article.run[data-run-id='{app.CompletedRunId}']");
        await Expect(card).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(card).ToHaveAttributeAsync("data-status", "Completed");
        // Without API keys (the loopback developer's host) the page never asks for one.
        await Expect(page.Locator("#key-form")).ToBeHiddenAsync();
        var stages = run["stages"]!.AsArray().Select(s => (string)s!["name"]!).ToList();
        await Expect(card.Locator(".timeline .stage")).ToHaveCountAsync(stages.Count, CountWait);
        await Expect(card.Locator(".timeline .stage .track")).ToHaveCountAsync(stages.Count, CountWait);
        Assert.Equal(stages, await card.Locator(".timeline .stage").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.stage)"));
        // Every stage of a completed run did some work: each bar has its working segment.
        Assert.Equal(stages.Count, await card.Locator(".timeline .stage .seg-work").CountAsync());
        await Expect(card.Locator(".value-stream")).ToContainTextAsync("working");

        // The metrics panel shows what the metrics API says.
        var frequency = metrics["deploymentFrequency"]!;
        await Expect(page.Locator("[data-metric=releases]")).ToHaveTextAsync(((long)frequency["releases"]!).ToString(CultureInfo.InvariantCulture), new() { Timeout = 30_000 });
        var leadSeconds = (double?)metrics["leadTime"]?["toLastInstance"]?["medianSeconds"];
        if (leadSeconds is { } seconds)
            await Expect(page.Locator("[data-metric=lead-time]")).ToHaveAttributeAsync("data-seconds", seconds.ToString(CultureInfo.InvariantCulture));
        await Expect(page.Locator("[data-key=deployment-frequency] .level")).ToHaveTextAsync((string)frequency["level"]!);
        await Expect(page.Locator(".key-tile")).ToHaveCountAsync(4);

        // The estate grid shows the version each production instance runs: the completed run's, the latest release.
        foreach (var environment in new[] { "prod-westeurope", "prod-northeurope", "prod-eastus" })
        {
            var cell = page.Locator($"#estate-grid td[data-stack='{Stack}'][data-env='{environment}']");
            await Expect(cell).ToHaveAttributeAsync("data-version", app.CompletedVersion, new() { Timeout = 30_000 });
            await Expect(cell).ToContainTextAsync(app.CompletedVersion);
            await Expect(cell).ToContainTextAsync("latest");
        }

        // The page follows the pipeline by itself: a new run appears, waiting for approval, without a reload.
        var waiting = await app.StartRunAsync("Tighten the network security group", "carol");
        var waitingId = (string)waiting["id"]!;
        await app.WaitForStatusAsync(waitingId, "AwaitingApproval");
        var waitingCard = page.Locator($"article.run[data-run-id='{waitingId}']");
        await Expect(waitingCard).ToHaveAttributeAsync("data-status", "AwaitingApproval", new() { Timeout = 30_000 });
        await Expect(waitingCard.Locator(".notice.approval")).ToContainTextAsync("Awaiting approval");
        // Buttons, not links: the signed links are fetched only when someone clicks (DashboardApprovalTests).
        await Expect(waitingCard.Locator(".actions button[data-choice=approve]")).ToHaveTextAsync("Approve");
        await Expect(waitingCard.Locator(".actions button[data-choice=reject]")).ToHaveTextAsync("Reject");
        await Expect(waitingCard.Locator(".actions a")).ToHaveCountAsync(0);
        var waitingStages = (await app.Client.GetFromJsonAsync<JsonObject>($"/api/runs/{waitingId}"))!["stages"]!.AsArray().Count;
        await Expect(waitingCard.Locator(".timeline .stage")).ToHaveCountAsync(waitingStages, CountWait);

        // Charts drew (the bundled library loaded under the policy), and nothing was refused or failed on the way.
        await Expect(page.Locator("#chart-deployments")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.Chart === 'function'"), "Chart.js did not load from vendor/chart.umd.js.");
        Assert.Empty(posts);
        Assert.Empty(problems);

        var path = DashboardFixture.ScreenshotPath("dashboard.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"Screenshot: {path}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task On_a_phone_sized_screen_the_dashboard_fits_the_width_and_shows_the_same_run()
    {
        var (page, problems) = await app.NewPageAsync(390, 844, phone: true);
        await page.GotoAsync($"/dashboard/?stack={Stack}");

        var card = page.Locator($"article.run[data-run-id='{app.CompletedRunId}']");
        await Expect(card).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(card.Locator(".timeline .stage")).ToHaveCountAsync(app.CompletedRun["stages"]!.AsArray().Count, CountWait);
        await Expect(page.Locator($"#estate-grid td[data-env='prod-eastus']")).ToHaveAttributeAsync("data-version", app.CompletedVersion, new() { Timeout = 30_000 });

        // Nothing is wider than the screen except the estate grid, which scrolls inside its own box.
        var pageWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(pageWidth <= 390, $"The page is {pageWidth} px wide on a 390 px screen.");
        Assert.Empty(problems);

        var path = DashboardFixture.ScreenshotPath("dashboard-phone.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"Screenshot: {path}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_estate_API_reports_the_latest_release_and_what_each_environment_runs()
    {
        var estate = await app.Client.GetFromJsonAsync<JsonObject>($"/api/estate?stack={Stack}");
        var stack = estate!["stacks"]!.AsArray().Single()!;
        Assert.Equal(Stack, (string)stack["stack"]!);
        var production = stack["environments"]!.AsArray().Where(e => (string)e!["kind"]! == "production").ToList();
        Assert.Equal(["prod-westeurope", "prod-northeurope", "prod-eastus"], production.Select(e => (string)e!["environment"]!));
        Assert.All(production, e => Assert.NotNull((string?)e!["appliedAt"]));
        Assert.Equal(1, (int)stack["productionVersions"]!);

        // Newer releases may have completed in other tests: then the instances run the latest one.
        var latest = (string)stack["latest"]!["version"]!;
        Assert.All(production, e =>
        {
            Assert.Equal(latest, (string)e!["version"]!);
            Assert.True((bool)e["current"]!);
            Assert.Equal(0, (int)e["behind"]!);
        });

        var bad = await app.Client.GetAsync("/api/estate?stack=Not_A_Stack!");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        var missing = await app.Client.GetAsync("/api/estate?stack=no-such-stack");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    /// <summary>The stack's metrics of the default window, once the completed run is counted as a release.</summary>
    private Task<JsonNode> StackMetricsAsync() =>
        Poll.UntilAsync(async () => (await app.Client.GetFromJsonAsync<JsonObject>($"/api/metrics?stack={Stack}"))!["stacks"]!.AsArray().Single(s => (string)s!["stack"]! == Stack)!,
            metrics => (long)metrics["deploymentFrequency"]!["releases"]! >= 1, TimeSpan.FromSeconds(60),
            metrics => $"The metrics never counted the completed run: {metrics.ToJsonString()}");
}
