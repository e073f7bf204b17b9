namespace Serverless.Dashboard.Tests;

/// <summary>Drives runs of the sample stack on one LocalHost through its API, as a user would: push, start, follow.</summary>
public sealed class PipelineDriver(LocalHostProcess host, HttpClient client, StackRepository repository)
{
    public const string Stack = "sample-network";

    public StackRepository Repository { get; } = repository;

    /// <summary>The sample stack's repository, which LocalHost made at start-up; <paramref name="client"/> must be allowed to read stacks.</summary>
    public static async Task<PipelineDriver> ForSampleStackAsync(LocalHostProcess host, HttpClient client)
    {
        var sample = await client.GetFromJsonAsync<JsonObject>($"/api/stacks/{Stack}");
        return new PipelineDriver(host, client, StackRepository.FromUrl((string)sample!["repository"]!));
    }

    /// <summary>Pushes a real change of the sample stack and starts its run.</summary>
    public async Task<JsonObject> StartRunAsync(string message, string author)
    {
        var commit = Repository.CommitTemplateChange(message, author);
        var response = await client.PostAsJsonAsync($"/api/stacks/{Stack}/runs", new { commit, message, author });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Follows this driver's runs through the API.</summary>
    public RunWaiter Waiter { get; } = new(client, () => host.Process.Output);

    /// <summary>
    /// Starts a run and waits until it waits at its gate with its approval request open (the run records it just after
    /// it starts waiting), so that its signed links can be handed out.
    /// </summary>
    public async Task<string> StartWaitingRunAsync(string message, string author)
    {
        var id = (string)(await StartRunAsync(message, author))["id"]!;
        await Waiter.WaitForGateAsync(id, approvals => approvals["requests"]!.AsArray().Any(r => (string?)r!["status"] == "Open"));
        return id;
    }
}
