namespace Serverless.Tests.Shared;

/// <summary>
/// Follows runs through a host's HTTP API (<c>GET /api/runs/{id}</c>), for every test that drives a host: the one way to
/// wait for a run's status or state, and to follow a run to its end approving it. <paramref name="hostOutput"/> adds the
/// host's output to a failure; <paramref name="interval"/> is the time between reads (a quarter of a second).
/// </summary>
public sealed class RunWaiter(HttpClient client, Func<string>? hostOutput = null, TimeSpan? interval = null)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);
    private static readonly string[] Ends = ["Completed", "Failed", "Rejected", "Superseded"];

    public async Task<JsonObject> GetAsync(string id) => (await client.GetFromJsonAsync<JsonObject>($"/api/runs/{id}"))!;

    /// <summary>Polls the run until it reaches the status; fails with the run's last state if it does not, at once if it ended otherwise.</summary>
    public Task<JsonObject> WaitForStatusAsync(string id, string status, TimeSpan? timeout = null) =>
        WaitForStatusAsync(id, [status], timeout);

    /// <summary>Polls the run until it reaches one of the statuses (see the other overload).</summary>
    /// <param name="tolerateUnavailable">Counts a failed read (a host or storage coming back) and reads again, instead of failing.</param>
    public async Task<JsonObject> WaitForStatusAsync(string id, IReadOnlyCollection<string> statuses, TimeSpan? timeout = null, bool tolerateUnavailable = false)
    {
        var expected = string.Join(" or ", statuses);
        return await WaitForAsync(id, run =>
        {
            var status = (string?)run["status"];
            if (status is not null && !statuses.Contains(status) && Ends.Contains(status))
                throw new InvalidOperationException($"Run {id} ended {status} instead of reaching {expected}: {run.ToJsonString()}{Output()}");
            return statuses.Contains(status ?? "");
        }, expected, timeout, tolerateUnavailable);
    }

    /// <summary>Polls the run until <paramref name="condition"/> holds, and fails with the run's last state if it does not.</summary>
    public Task<JsonObject> WaitForAsync(string id, Func<JsonObject, bool> condition, string expected, TimeSpan? timeout = null, bool tolerateUnavailable = false) =>
        UntilAsync(id, run => Task.FromResult(condition(run)), expected, timeout, tolerateUnavailable);

    /// <summary>Follows a run to its end, approving it through the operator API as <paramref name="approver"/> whenever it waits, if asked to.</summary>
    public Task<JsonObject> FinishAsync(string id, bool approve = true, TimeSpan? timeout = null, string approver = "bob@contoso.example") =>
        UntilAsync(id, async run =>
        {
            var status = (string?)run["status"];
            if (status == "AwaitingApproval" && approve)
                (await client.PostAsJsonAsync($"/api/runs/{id}/approval", new { decision = "approve", by = approver })).Dispose();
            return Ends.Contains(status);
        }, "its end", timeout, tolerateUnavailable: false);

    private async Task<JsonObject> UntilAsync(string id, Func<JsonObject, Task<bool>> condition, string expected, TimeSpan? timeout, bool tolerateUnavailable)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        JsonObject? run = null;
        var failedReads = 0;
        do
        {
            try
            {
                using var response = await client.GetAsync($"/api/runs/{id}");
                if (tolerateUnavailable && !response.IsSuccessStatusCode) failedReads++;
                else
                {
                    run = (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!;
                    if (await condition(run)) return run;
                }
            }
            catch (Exception e) when (tolerateUnavailable && e is HttpRequestException or TaskCanceledException)
            {
                failedReads++;
            }
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(250));
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"Run {id} did not reach {expected}{(failedReads > 0 ? $" ({failedReads} failed reads)" : "")}: {run?.ToJsonString()}{Output()}");
    }

    /// <summary>
    /// Waits until the run waits at its gate with its approval request recorded (the run records it just after it starts
    /// waiting), optionally until <paramref name="ready"/> holds for its approvals (<c>GET /api/runs/{id}/approvals</c>).
    /// </summary>
    public async Task<JsonObject> WaitForGateAsync(string id, Func<JsonObject, bool>? ready = null, TimeSpan? timeout = null)
    {
        var run = await WaitForStatusAsync(id, "AwaitingApproval", timeout);
        ready ??= approvals => approvals["requests"]!.AsArray().Count > 0;
        await Poll.UntilAsync(async () => (await client.GetFromJsonAsync<JsonObject>($"/api/runs/{id}/approvals"))!, ready, timeout ?? DefaultTimeout,
            approvals => $"Run {id} waits, but its approvals never got ready: {approvals.ToJsonString()}{Output()}");
        return run;
    }

    /// <summary>Polls the run list (<c>GET /api/runs?{query}</c>) until <paramref name="done"/> holds for it.</summary>
    public Task<JsonArray> WaitForListAsync(string query, Func<JsonArray, bool> done, TimeSpan? timeout = null) =>
        Poll.UntilAsync(async () => (await client.GetFromJsonAsync<JsonArray>($"/api/runs?{query}"))!, done, timeout ?? DefaultTimeout,
            runs => $"The run list ?{query} never met the condition: {runs.ToJsonString()}{Output()}");

    private string Output() => hostOutput is null ? "" : "\n" + hostOutput();
}
