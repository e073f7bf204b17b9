using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Serverless.LocalServices;

namespace Serverless.LoadDriver;

/// <summary>One pipeline run as the driver saw it.</summary>
public sealed record RunOutcome(
    string Id,
    string Status,
    DateTimeOffset RequestedAt,
    DateTimeOffset? BuildStartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<string> Deployments,
    TimeSpan ObservedDuration,
    string? Reason)
{
    public TimeSpan? RequestToBuildStart => BuildStartedAt - RequestedAt;
    public TimeSpan? Duration => FinishedAt - RequestedAt;
}

/// <summary>
/// The LocalHost processes a load drives, any of which can serve any request: a host that stops answering
/// because its process is gone is left out from then on, and its requests go to another one.
/// </summary>
public sealed class HostPool : IDisposable
{
    private readonly IReadOnlyList<LocalHostProcess> _hosts;
    private readonly HttpClient[] _clients;
    private readonly bool[] _dead;

    public HostPool(IReadOnlyList<LocalHostProcess> hosts)
    {
        _hosts = hosts;
        _clients = [.. hosts.Select(h => h.CreateClient())];
        _dead = new bool[hosts.Count];
    }

    public int Count => _hosts.Count;

    public int Alive => _dead.Count(d => !d);

    public LocalHostProcess this[int index] => _hosts[index];

    /// <summary>The host to use for a request that would go to <paramref name="preferred"/>, and its client.</summary>
    public (int Index, HttpClient Client) Pick(int preferred)
    {
        for (var i = 0; i < _hosts.Count; i++)
        {
            var index = (preferred + i) % _hosts.Count;
            if (!Volatile.Read(ref _dead[index])) return (index, _clients[index]);
        }
        throw new InvalidOperationException("No LocalHost process is left.");
    }

    /// <summary>After a failed request: is the host gone for good? Then it gets no more requests.</summary>
    public bool Check(int index)
    {
        if (!_hosts[index].Process.HasExited) return false;
        Volatile.Write(ref _dead[index], true);
        return true;
    }

    public void Kill(int index)
    {
        Volatile.Write(ref _dead[index], true);
        _hosts[index].Process.Terminate();
    }

    public void Dispose()
    {
        foreach (var client in _clients) client.Dispose();
    }
}

/// <summary>
/// Drives pipeline runs over HTTP exactly as a user would: starts each run, polls it, approves it when it
/// waits for approval, until it has finished. One run per lane is in flight at once.
/// </summary>
public sealed class PipelineLoad(HostPool hosts, TimeSpan pollInterval)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _started = new(StringComparer.Ordinal);
    private readonly List<RunOutcome> _finished = [];
    private long _retries;

    public int Started => _started.Count;

    /// <summary>Every run a start request was answered for, finished or not.</summary>
    public IReadOnlyCollection<string> StartedIds => [.. _started.Keys];

    /// <summary>The runs that have finished, in the order they did; readable while a load is under way or after it was cancelled.</summary>
    public IReadOnlyList<RunOutcome> Finished
    {
        get { lock (_finished) return [.. _finished]; }
    }

    /// <summary>Requests that failed (a host gone, a 5xx) and were sent again.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Drives one run per commit, the commits of each lane one after another and the lanes at once; the outcomes in the order the runs finished.</summary>
    public async Task<IReadOnlyList<RunOutcome>> DriveAsync(IReadOnlyList<(string Stack, IReadOnlyList<string> Commits)> lanes, CancellationToken cancellation)
    {
        var outcomes = new List<RunOutcome>();
        var workers = lanes.Select(async (lane, index) =>
        {
            for (var i = 0; i < lane.Commits.Count; i++)
            {
                var outcome = await DriveOneAsync(lane.Stack, lane.Commits[i], (index + i) % hosts.Count, cancellation);
                lock (outcomes) outcomes.Add(outcome);
                lock (_finished) _finished.Add(outcome);
            }
        });
        await Task.WhenAll(workers);
        return outcomes;
    }

    private async Task<RunOutcome> DriveOneAsync(string stack, string commit, int host, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var id = await StartAsync(stack, commit, host, cancellation);
        _started[id] = true;
        var approved = false;
        while (true)
        {
            var run = await SendAsync(host, c => c.GetAsync($"/api/runs/{id}", cancellation), cancellation);
            var status = (string?)run?["status"];
            switch (status)
            {
                case "AwaitingApproval" when !approved:
                    approved = await ApproveAsync(id, host, cancellation);
                    break;
                case "Completed" or "Failed" or "Rejected":
                    return Outcome(run!, clock.Elapsed);
            }
            await Task.Delay(pollInterval, cancellation);
        }
    }

    private async Task<string> StartAsync(string stack, string commit, int host, CancellationToken cancellation)
    {
        // The same change again finds the same run (200), so a start whose host died is simply sent again.
        var body = new { commit, message = "load change", author = "Load Driver" };
        var started = await SendAsync(host, c => c.PostAsJsonAsync($"/api/stacks/{stack}/runs", body, cancellation), cancellation);
        return (string?)started?["id"] ?? throw new InvalidOperationException($"The start of {commit} gave no run id: {started?.ToJsonString()}");
    }

    private async Task<bool> ApproveAsync(string id, int host, CancellationToken cancellation)
    {
        var (index, client) = hosts.Pick(host);
        try
        {
            using var response = await client.PostAsJsonAsync($"/api/runs/{id}/approval",
                new { decision = "approve", by = ArmStackRepository.Approver, comment = "load driver" }, cancellation);
            // 409: not waiting (yet or any more); the next poll tells.
            return response.StatusCode == HttpStatusCode.Accepted;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            hosts.Check(index);
            Interlocked.Increment(ref _retries);
            return false;
        }
    }

    /// <summary>Sends a request until a host answers it with a 2xx, switching hosts when one is gone.</summary>
    private async Task<JsonObject?> SendAsync(int host, Func<HttpClient, Task<HttpResponseMessage>> send, CancellationToken cancellation)
    {
        while (true)
        {
            var (index, client) = hosts.Pick(host);
            try
            {
                using var response = await send(client);
                if (response.IsSuccessStatusCode) return await response.Content.ReadFromJsonAsync<JsonObject>(cancellation);
                if ((int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.TooManyRequests)
                    throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellation)}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
            {
                hosts.Check(index);
            }
            Interlocked.Increment(ref _retries);
            await Task.Delay(pollInterval, cancellation);
        }
    }

    private static RunOutcome Outcome(JsonObject run, TimeSpan observed)
    {
        var build = run["stages"]?.AsArray().FirstOrDefault(s => (string?)s?["name"] == "build");
        return new RunOutcome(
            (string)run["id"]!,
            (string)run["status"]!,
            (DateTimeOffset)run["requestedAt"]!,
            (DateTimeOffset?)build?["startedAt"],
            (DateTimeOffset?)run["finishedAt"],
            [.. (run["deployments"]?.AsArray() ?? []).Select(d => (string)d!["environment"]!)],
            observed,
            (string?)run["reason"]);
    }
}
