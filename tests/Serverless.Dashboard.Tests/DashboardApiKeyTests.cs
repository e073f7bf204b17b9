using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Serverless.Dashboard.Tests;

/// <summary>The dashboard of a LocalHost with API keys: it asks for a key, sends it on every call, and respects its role.</summary>
[Collection(DashboardCollection.Name)]
public sealed partial class DashboardApiKeyTests(DashboardFixture app, ApiKeyHostFixture keyed, ITestOutputHelper output) : IClassFixture<ApiKeyHostFixture>
{
    [Fact]
    public async Task The_dashboard_asks_for_a_key_lists_runs_with_a_readers_key_and_says_that_approving_needs_an_operator()
    {
        var id = await keyed.Runs.StartWaitingRunAsync("Split the gateway subnet", "erin");
        var (page, problems) = await app.NewPageAsync(keyed.Host.BaseAddress, 1366, 900);
        var calls = new ConcurrentQueue<(string Path, string? Key)>();
        page.Request += (_, request) =>
        {
            var path = new Uri(request.Url).AbsolutePath;
            if (path.StartsWith("/api/", StringComparison.Ordinal))
                calls.Enqueue((path, request.Headers.TryGetValue("x-api-key", out var key) ? key : null));
        };
        await page.GotoAsync($"/dashboard/?stack={PipelineDriver.Stack}");

        // Every call answers 401: the page asks for a key.
        var form = page.Locator("#key-form");
        await Expect(form).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("#key-message")).ToContainTextAsync("needs an API key");
        await Expect(page.Locator("#status")).ToContainTextAsync("API key is needed");
        Assert.All(calls, call => Assert.Null(call.Key));
        var formShot = DashboardFixture.ScreenshotPath("dashboard-key-form.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = formShot });
        output.WriteLine($"Screenshot: {formShot}");

        // A reader's key: the runs appear, and every call from then on carries the key.
        await page.Locator("#key-input").FillAsync(ApiKeyHostFixture.ReaderKey);
        await page.Locator("#key-form button[type=submit]").ClickAsync();
        await Expect(form).ToBeHiddenAsync();
        var card = page.Locator($"article.run[data-run-id='{id}']");
        await Expect(card).ToHaveAttributeAsync("data-status", "AwaitingApproval", new() { Timeout = 30_000 });
        calls.Clear();
        await NextRefreshAsync(page);
        await NextRefreshAsync(page);
        Assert.NotEmpty(calls);
        Assert.All(calls, call => Assert.Equal(ApiKeyHostFixture.ReaderKey, call.Key));

        // Kept for this tab only: in sessionStorage, not in localStorage, not in the address.
        Assert.Equal(ApiKeyHostFixture.ReaderKey, await page.EvaluateAsync<string>("() => sessionStorage.getItem('pipeline.apiKey')"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length"));
        Assert.DoesNotContain(ApiKeyHostFixture.ReaderKey, page.Url, StringComparison.Ordinal);

        // Approve with a reader's key: the button area says that the Operator role is needed, and keeps saying it.
        await card.Locator(".actions button[data-choice=approve]").ClickAsync();
        var denied = card.Locator(".approval .approval-message.denied");
        await Expect(denied).ToContainTextAsync("Approving needs the Operator role", new() { Timeout = 30_000 });
        await Expect(card.Locator(".approval .actions button")).ToHaveCountAsync(0);
        await NextRefreshAsync(page);
        await Expect(denied).ToContainTextAsync("Approving needs the Operator role");
        Assert.EndsWith("/dashboard/", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        var path = DashboardFixture.ScreenshotPath("dashboard-reader-key.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"Screenshot: {path}");

        // An operator's key, through the Key button: the buttons are back and lead to the signed approval page.
        await page.Locator("#key-button").ClickAsync();
        await Expect(form).ToBeVisibleAsync();
        await page.Locator("#key-input").FillAsync(ApiKeyHostFixture.OperatorKey);
        await page.Locator("#key-form button[type=submit]").ClickAsync();
        var approve = card.Locator(".approval .actions button[data-choice=approve]");
        await Expect(approve).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await approve.ClickAsync();
        await page.WaitForURLAsync(ApprovalLink(), new() { Timeout = 30_000 });
        await Expect(page.Locator("#name")).ToBeVisibleAsync();

        // Chrome reports each refused call on the console; nothing else went wrong, and no key reached the host's log.
        Assert.All(problems, problem => Assert.Matches("status of 40[13]", problem));
        Assert.DoesNotContain(ApiKeyHostFixture.ReaderKey, keyed.Host.Process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKeyHostFixture.OperatorKey, keyed.Host.Process.Output, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    /// <summary>Waits until the page has finished one more of its periodic refreshes.</summary>
    private static async Task NextRefreshAsync(IPage page)
    {
        var last = await page.EvaluateAsync<string?>("() => document.body.dataset.refreshed ?? null");
        await page.WaitForFunctionAsync("last => (document.body.dataset.refreshed ?? null) !== last", last, new() { Timeout = 30_000 });
    }

    [GeneratedRegex(@"/api/approvals/[^/]+$")]
    private static partial Regex ApprovalLink();
}
