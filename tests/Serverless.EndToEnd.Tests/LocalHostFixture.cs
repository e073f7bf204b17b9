using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Serverless.LocalServices;

namespace Serverless.EndToEnd.Tests;

/// <summary>Azurite and a LocalHost process on free loopback ports, for tests that use the product as a user would.</summary>
public sealed class LocalHostFixture : IAsyncLifetime
{
    public const string TablePrefix = "pipe";

    public Azurite Azurite { get; private set; } = null!;
    public LocalHostProcess Host { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public string WorkDirectory { get; private set; } = null!;

    /// <summary>The sample stack's git repository, which LocalHost made at start-up; tests push commits to it.</summary>
    public StackRepository SampleRepository { get; private set; } = null!;

    public TableServiceClient Tables => new(Azurite.ConnectionString);
    public BlobServiceClient Blobs => new(Azurite.ConnectionString);

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartOnFreePortsAsync();
        WorkDirectory = Directory.CreateTempSubdirectory("pipeline-e2e-").FullName;
        Host = await LocalHostProcess.StartAsync(Azurite.ConnectionString, new Dictionary<string, string> { ["Sources:WorkDirectory"] = WorkDirectory });
        Client = Host.CreateClient();
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

    public async Task<JsonObject> GetRunAsync(string id) =>
        (await Client.GetFromJsonAsync<JsonObject>($"/api/runs/{id}"))!;

    /// <summary>Follows a run to its end, approving it (as bob, through the operator API) whenever it waits, if asked to.</summary>
    public async Task<JsonObject> FinishAsync(string id, bool approve = true, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (DateTime.UtcNow < deadline)
        {
            var run = await GetRunAsync(id);
            var status = (string)run["status"]!;
            if (status is "Completed" or "Failed" or "Rejected" or "Superseded") return run;
            if (status == "AwaitingApproval" && approve)
                await Client.PostAsJsonAsync($"/api/runs/{id}/approval", new { decision = "approve", by = "bob@contoso.example" });
            await Task.Delay(250);
        }
        throw new TimeoutException($"Run {id} did not end: {(await GetRunAsync(id)).ToJsonString()}\n{Host.Process.Output}");
    }

    /// <summary>Polls the run until it reaches the status, and fails with the run's last state if it does not.</summary>
    public async Task<JsonObject> WaitForStatusAsync(string id, string status, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        JsonObject run;
        do
        {
            run = await GetRunAsync(id);
            if ((string?)run["status"] == status) return run;
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"Run {id} did not reach {status}: {run.ToJsonString()}\n{Host.Process.Output}");
    }
}

[CollectionDefinition(Name)]
public sealed class LocalHostCollection : ICollectionFixture<LocalHostFixture>
{
    public const string Name = "LocalHost";
}
