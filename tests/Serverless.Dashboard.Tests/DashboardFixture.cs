namespace Serverless.Dashboard.Tests;

/// <summary>
/// Azurite, a LocalHost process with its own work directory (and its own address as the approval links' base URL, so
/// that the links work in the browser), one run of the sample stack completed through the API exactly as a user would
/// (push, start, approve, wait), and headless Chromium (Debian's, driven by Playwright).
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string Stack = "sample-network";

    public Azurite Azurite { get; private set; } = null!;
    public LocalHostProcess Host { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public string WorkDirectory { get; private set; } = null!;
    public StackRepository Repository => Runs.Repository;
    public PipelineDriver Runs { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The completed run, as <c>GET /api/runs/{id}</c> answered when it completed.</summary>
    public JsonObject CompletedRun { get; private set; } = null!;

    public string CompletedRunId => (string)CompletedRun["id"]!;
    public string CompletedVersion => (string)CompletedRun["artifactVersion"]!;

    public async Task InitializeAsync()
    {
        Chromium.RequireInstalled();
        Azurite = await Azurite.StartOnFreePortsAsync();
        WorkDirectory = Directory.CreateTempSubdirectory("pipeline-dashboard-").FullName;
        Host = await LocalHostProcess.StartAsync(Azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Sources:WorkDirectory"] = WorkDirectory,
        });
        Client = Host.CreateClient();
        Runs = await PipelineDriver.ForSampleStackAsync(Host, Client);

        var started = await StartRunAsync("Widen the hub subnet for the dashboard", "ann");
        var id = (string)started["id"]!;
        await WaitForStatusAsync(id, "AwaitingApproval");
        var decision = await Client.PostAsJsonAsync((string)started["approvalUrl"]!, new { decision = "approve", by = "bob@contoso.example", comment = "looks good" });
        Assert.Equal(HttpStatusCode.Accepted, decision.StatusCode);
        CompletedRun = await WaitForStatusAsync(id, "Completed");

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(Playwright);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
        Client?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
        if (Azurite is not null) await Azurite.DisposeAsync();
        try { if (WorkDirectory is not null) Directory.Delete(WorkDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>Pushes a real change of the sample stack and starts its run.</summary>
    public Task<JsonObject> StartRunAsync(string message, string author) => Runs.StartRunAsync(message, author);

    /// <summary>Polls the run until it reaches the status, and fails with the run's last state if it does not.</summary>
    public Task<JsonObject> WaitForStatusAsync(string id, string status, TimeSpan? timeout = null) => Runs.Waiter.WaitForStatusAsync(id, status, timeout);

    /// <summary>A fresh browser page of the given size, with its console errors and failed requests collected.</summary>
    public Task<(IPage Page, List<string> Problems)> NewPageAsync(int width, int height, bool phone = false) =>
        NewPageAsync(Host.BaseAddress, width, height, phone);

    /// <summary>A fresh browser page (its own context: its own sessionStorage) on another host's dashboard.</summary>
    public async Task<(IPage Page, List<string> Problems)> NewPageAsync(Uri baseAddress, int width, int height, bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            IsMobile = phone,
            HasTouch = phone,
            DeviceScaleFactor = phone ? 2 : 1,
            BaseURL = baseAddress.ToString(),
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") problems.Add($"console: {message.Text}");
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        page.RequestFailed += (_, request) =>
        {
            // A request cut short by a navigation or by closing the page is no fault of the page.
            if (request.Failure?.Contains("ERR_ABORTED", StringComparison.Ordinal) != true)
                problems.Add($"request failed: {request.Method} {request.Url} {request.Failure}");
        };
        return (page, problems);
    }

    /// <summary>Where screenshots go: beside the test assembly, in the build output.</summary>
    public static string ScreenshotPath(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }
}

/// <summary>Debian's Chromium, which scripts/ensure-tools installs; the tests never download a browser.</summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public static void RequireInstalled()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Headless Chromium is missing: {ExecutablePath} does not exist. Run scripts/ensure-tools (as root; it installs Debian's " +
                "'chromium' package), then run these tests again. The dashboard tests need a real browser and are never skipped.");
        }
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Arguments,
            Timeout = 60_000,
        });
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "Dashboard";
}
