using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Serverless.LocalServices;

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

    /// <summary>Polls the run until it reaches the status, and fails with the run's last state if it does not.</summary>
    public async Task<JsonObject> WaitForStatusAsync(string id, string status, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        JsonObject run;
        do
        {
            run = (await client.GetFromJsonAsync<JsonObject>($"/api/runs/{id}"))!;
            if ((string?)run["status"] == status) return run;
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"Run {id} did not reach {status}: {run.ToJsonString()}\n{host.Process.Output}");
    }

    /// <summary>
    /// Starts a run and waits until it waits at its gate with its approval request recorded (the run records it just
    /// after it starts waiting), so that its signed links can be handed out.
    /// </summary>
    public async Task<string> StartWaitingRunAsync(string message, string author)
    {
        var id = (string)(await StartRunAsync(message, author))["id"]!;
        await WaitForStatusAsync(id, "AwaitingApproval");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await client.GetFromJsonAsync<JsonObject>($"/api/runs/{id}/approvals"))!["requests"]!.AsArray().All(r => (string?)r!["status"] != "Open"))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Run {id} never recorded an open approval request.\n{host.Process.Output}");
            await Task.Delay(250);
        }
        return id;
    }
}
