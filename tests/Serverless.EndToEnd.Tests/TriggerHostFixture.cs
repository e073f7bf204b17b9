namespace Serverless.EndToEnd.Tests;

/// <summary>
/// Azurite and a LocalHost process of their own with the push webhooks' secrets configured, for the trigger tests.
/// </summary>
public sealed class TriggerHostFixture : IAsyncLifetime
{
    public const string TablePrefix = "pipe";
    public const string TaskHub = "triggers";
    public const string EventGridSecret = "e2e-event-grid-secret";
    public const string GitHubDefaultSecret = "e2e-github-default-secret";
    public const string GitHubRepository = "contoso/e2e-github";
    public const string GitHubRepositorySecret = "e2e-github-repository-secret";
    public const string AllowedRate = "600";

    public Azurite Azurite { get; private set; } = null!;
    public LocalHostProcess Host { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    public StorageProbe Storage => new(Azurite.ConnectionString, TablePrefix);

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartOnFreePortsAsync();
        Host = await LocalHostProcess.StartAsync(Azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Engine:TaskHub"] = TaskHub,
            ["Pipeline:RegisterSampleStack"] = "false",
            ["Triggers:EventGrid:Secret"] = EventGridSecret,
            ["Triggers:EventGrid:AllowedRate"] = AllowedRate,
            ["Triggers:GitHub:DefaultSecret"] = GitHubDefaultSecret,
            [$"Triggers:GitHub:Secrets:{GitHubRepository}"] = GitHubRepositorySecret,
        });
        Client = Host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
    }

    /// <summary>A stack name of its own for each test: lowercase, starting with a letter.</summary>
    public static string NewStack(string suffix) => $"t{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}-{suffix}";

    public static string NewCommit() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    public async Task RegisterAsync(string stack, string repository, string? branch = null, string[]? paths = null)
    {
        var response = await Client.PutAsJsonAsync($"/api/stacks/{stack}", Registrations.Of(stack, repository, ["dev"], ["prod"], branch: branch, paths: paths));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }
}

[CollectionDefinition(Name)]
public sealed class TriggerHostCollection : ICollectionFixture<TriggerHostFixture>
{
    public const string Name = "TriggerHost";
}
