using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Serverless.LocalServices;

namespace Serverless.Demo;

/// <summary>Starts a run of the sample stack, prints its progress stage by stage, approves it and prints the summary.</summary>
public sealed class DemoRun(HttpClient http, WebhookInbox inbox, TextWriter output)
{
    private const string Stack = "sample-network";
    private readonly Dictionary<string, string> _printed = new();

    public async Task<bool> RunAsync(CancellationToken cancellation)
    {
        // A developer pushes a change to the stack's repository...
        var stack = (await http.GetFromJsonAsync<JsonObject>($"/api/stacks/{Stack}", cancellation))!;
        var repository = StackRepository.FromUrl((string)stack["repository"]!);
        const string message = "Tag the sample network with a change id";
        var commit = repository.CommitTemplateChange(message, "Demo User");
        output.WriteLine($"\nPushed commit {commit[..12]} to {repository.Directory}: {message}");

        // ...and the push starts its run.
        var response = await http.PostAsJsonAsync($"/api/stacks/{Stack}/runs", new { commit, message, author = "Demo User" }, cancellation);
        var started = await response.Content.ReadFromJsonAsync<JsonObject>(cancellation)
                      ?? throw new InvalidOperationException("The start answered with no body.");
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The start was refused: {started.ToJsonString()}");
        var id = (string)started["id"]!;
        output.WriteLine($"\nRun {id} ({(int)response.StatusCode} {response.StatusCode}), following {started["statusUrl"]}");

        var approved = false;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            var run = (await http.GetFromJsonAsync<JsonObject>($"/api/runs/{id}", cancellation))!;
            PrintChanges(run);
            var status = (string)run["status"]!;
            if (status == "AwaitingApproval" && !approved)
            {
                await ApproveAsync(id, (string)started["approvalUrl"]!, cancellation);
                approved = true;
            }
            if (status is "Completed" or "Failed" or "Rejected")
            {
                PrintSummary(run);
                return status == "Completed";
            }
            await Task.Delay(250, cancellation);
        }
    }

    /// <summary>
    /// Approves as a person would: follows the signed link from the chat notification, looks at the page
    /// (which decides nothing), then presses its button. Falls back to the operator API if no link came.
    /// </summary>
    private async Task ApproveAsync(string id, string operatorUrl, CancellationToken cancellation)
    {
        var link = await inbox.WaitForApproveLinkAsync(TimeSpan.FromSeconds(30), cancellation);
        if (link is null)
        {
            output.WriteLine("  → no approval link arrived; approving through the operator API");
            (await http.PostAsJsonAsync(operatorUrl, new { decision = "approve", by = "alice@contoso.example", comment = "approved by the demo" }, cancellation))
                .EnsureSuccessStatusCode();
            return;
        }
        var token = link[(link.LastIndexOf('/') + 1)..];
        output.WriteLine($"  → the chat webhook received the signed approve link (…/api/approvals/{token[..Math.Min(12, token.Length)]}…)");
        var page = await http.GetAsync(link, cancellation);
        output.WriteLine($"  → opened it: {(int)page.StatusCode} {page.Content.Headers.ContentType?.MediaType}, the page shows the change and decides nothing");
        var decision = await http.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "alice@contoso.example",
            ["comment"] = "approved from the demo's approval page",
        }), cancellation);
        output.WriteLine($"  → pressed Approve as alice@contoso.example: {(int)decision.StatusCode} {decision.StatusCode}");
        decision.EnsureSuccessStatusCode();
    }

    private void PrintChanges(JsonObject run)
    {
        foreach (var stage in run["stages"]!.AsArray())
        {
            var name = (string)stage!["name"]!;
            var status = (string)stage["status"]!;
            if (_printed.TryGetValue(name, out var seen) && seen == status) continue;
            _printed[name] = status;
            if (status == "Pending") continue;
            var mark = status switch { "Succeeded" => "✓", "Running" => "…", "Skipped" => "-", _ => "✗" };
            output.WriteLine($"  {mark} {name,-18} {status,-10} {Timing(stage)}{Detail(stage)}");
        }
    }

    private void PrintSummary(JsonObject run)
    {
        var requested = DateTimeOffset.Parse((string)run["requestedAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        var finished = DateTimeOffset.Parse((string)run["finishedAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        var commit = run["commit"]!;
        output.WriteLine();
        output.WriteLine("Run summary");
        output.WriteLine($"  run        {run["id"]}");
        output.WriteLine($"  commit     {commit["id"]} by {commit["author"]}: {commit["message"]}");
        output.WriteLine($"  status     {run["status"]}{(run["reason"] is { } reason ? $" ({reason})" : "")}");
        output.WriteLine($"  artifact   {run["artifactVersion"]} ({run["manifestBlob"]}), a {run["changeType"]} change");
        output.WriteLine($"  build log  {run["buildLog"]}");
        output.WriteLine($"  duration   {(finished - requested).TotalSeconds:0.00} s from request to the last production instance");
        if (commit["committedAt"] is { } committedAt)
            output.WriteLine($"  lead time  {(finished - DateTimeOffset.Parse((string)committedAt!, System.Globalization.CultureInfo.InvariantCulture)).TotalSeconds:0.00} s from commit to the last production instance");
        output.WriteLine($"  {"stage",-18} {"status",-10} {"waiting",9} {"working",9}");
        foreach (var stage in run["stages"]!.AsArray())
        {
            output.WriteLine($"  {(string)stage!["name"]!,-18} {(string)stage["status"]!,-10} {Seconds(stage["waitingSeconds"]),9} {Seconds(stage["workingSeconds"]),9}");
        }
        var production = run["deployments"]!.AsArray().Where(d => (string)d!["kind"]! == "Production").ToList();
        output.WriteLine($"  production instances running {run["artifactVersion"]}: {production.Count} ({string.Join(", ", production.Select(d => (string)d!["environment"]!))})");
    }

    private static string Timing(JsonNode stage) =>
        stage["workingSeconds"] is { } working ? $"{(double)working:0.000} s working " : "";

    private static string Detail(JsonNode stage) => stage["detail"] is { } detail ? $"({detail})" : "";

    private static string Seconds(JsonNode? value) => value is null ? "-" : $"{(double)value:0.000} s";
}
