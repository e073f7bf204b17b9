namespace Serverless.EndToEnd.Tests;

/// <summary>Azurite and a LocalHost process on free loopback ports, for tests that use the product as a user would.</summary>
public sealed class LocalHostFixture : IAsyncLifetime
{
    public const string TablePrefix = "pipe";

    public Azurite Azurite { get; private set; } = null!;
    public LocalHostProcess Host { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public RunWaiter Runs { get; private set; } = null!;
    public string WorkDirectory { get; private set; } = null!;

    /// <summary>The sample stack's git repository, which LocalHost made at start-up; tests push commits to it.</summary>
    public StackRepository SampleRepository { get; private set; } = null!;

    public StorageProbe Storage => new(Azurite.ConnectionString, TablePrefix);

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartOnFreePortsAsync();
        WorkDirectory = Directory.CreateTempSubdirectory("pipeline-e2e-").FullName;
        Host = await LocalHostProcess.StartAsync(Azurite.ConnectionString, new Dictionary<string, string> { ["Sources:WorkDirectory"] = WorkDirectory });
        Client = Host.CreateClient();
        Runs = new RunWaiter(Client, () => Host.Process.Output);
        var sample = await Client.GetFromJsonAsync<JsonObject>("/api/stacks/sample-network");
        SampleRepository = StackRepository.FromUrl((string)sample!["repository"]!);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
        try { Directory.Delete(WorkDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>Pushes a real change of the sample stack and returns its commit id.</summary>
    public string NewCommit(string message = "e2e change") => SampleRepository.CommitTemplateChange(message);

    public async Task<JsonObject> StartRunAsync(string stack, string commit)
    {
        var response = await Client.PostAsJsonAsync($"/api/stacks/{stack}/runs", new { commit, message = "e2e change", author = "ann" });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}

[CollectionDefinition(Name)]
public sealed class LocalHostCollection : ICollectionFixture<LocalHostFixture>
{
    public const string Name = "LocalHost";
}
