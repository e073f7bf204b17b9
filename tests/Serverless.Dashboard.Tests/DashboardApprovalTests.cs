using System.Text.RegularExpressions;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Serverless.Dashboard.Tests;

/// <summary>Deciding a real run from the dashboard: its button leads to the signed approval page, where the person confirms.</summary>
[Collection(DashboardCollection.Name)]
public sealed partial class DashboardApprovalTests(DashboardFixture app, ITestOutputHelper output)
{
    [Fact]
    public async Task Approve_leads_to_the_signed_approval_page_and_confirming_there_lets_the_run_complete()
    {
        var id = await app.Runs.StartWaitingRunAsync("Open the spoke to the shared services subnet", "dave");
        var (page, problems) = await app.NewPageAsync(1366, 900);
        var posts = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Method != "GET") posts.Add($"{request.Method} {new Uri(request.Url).AbsolutePath}");
        };
        await page.GotoAsync($"/dashboard/?stack={DashboardFixture.Stack}");

        var card = page.Locator($"article.run[data-run-id='{id}']");
        var approve = card.Locator(".approval .actions button[data-choice=approve]");
        await Expect(approve).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(card.Locator(".approval .actions button[data-choice=reject]")).ToBeVisibleAsync();
        var path = DashboardFixture.ScreenshotPath("dashboard-approval-buttons.png");
        await card.ScreenshotAsync(new LocatorScreenshotOptions { Path = path });
        output.WriteLine($"Screenshot: {path}");
        Assert.Empty(posts);
        Assert.Empty(problems);

        // The button obtains the signed links (one POST) and opens the approve link's page in this tab; that page decides nothing.
        await approve.ClickAsync();
        await page.WaitForURLAsync(ApprovalLink(), new() { Timeout = 30_000 });
        Assert.Equal([$"POST /api/runs/{id}/approvals/links"], posts);
        await Expect(page.Locator("h1")).ToContainTextAsync("Approve");
        await Expect(page.Locator("form button[type=submit]")).ToBeVisibleAsync();
        Assert.Equal("AwaitingApproval", (string)(await app.Client.GetFromJsonAsync<JsonObject>($"/api/runs/{id}"))!["status"]!);

        // The person confirms with their name; the run goes on to production and completes.
        await page.Locator("#name").FillAsync("alice@contoso.example");
        await page.Locator("#comment").FillAsync("approved from the dashboard");
        await page.Locator("form button[type=submit]").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Approved", new() { Timeout = 30_000 });

        var run = await app.WaitForStatusAsync(id, "Completed", TimeSpan.FromMinutes(3));
        var gate = run["stages"]!.AsArray().Single(s => (string)s!["name"]! == "approval")!;
        Assert.Equal("approved by alice@contoso.example: approved from the dashboard", (string)gate["detail"]!);
        var trail = (await app.Client.GetFromJsonAsync<JsonObject>($"/api/runs/{id}/approvals"))!;
        Assert.Contains(trail["audit"]!.AsArray(), a => (string?)a!["outcome"] == "LinksIssued");
        await page.Context.CloseAsync();
    }

    [GeneratedRegex(@"/api/approvals/[^/]+$")]
    private static partial Regex ApprovalLink();
}
