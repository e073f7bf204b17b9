using System.Diagnostics;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Serverless.LocalServices;

namespace Serverless.LoadDriver;

/// <summary>
/// The scale-out drill: two LocalHost processes on one task hub (the same Azurite, the same task hub, the same
/// stack repository, each its own HTTP port and work directory) share a load; once a third of the runs has started
/// and the second host owns partitions, it is killed as a crash would (no shutdown). Every started run must still
/// reach Completed through the surviving host, and no environment may be deployed twice by a run.
/// </summary>
public static class ScaleOutDrill
{
    private const string TaskHub = "scaleout";

    public static async Task<int> RunAsync(DriverOptions options, TextWriter log, CancellationToken cancellation)
    {
        log.WriteLine($"Scale-out drill: {options.Runs} runs at concurrency {options.Concurrency} over two LocalHost processes on task hub '{TaskHub}'; one is killed mid-load.");
        await using var rig = await LoadRig.StartAsync(options.Runs, options.Concurrency, extra: 0, log);
        var survivor = await rig.StartHostAsync(TaskHub, options.Partitions, log);
        var victim = await rig.StartHostAsync(TaskHub, options.Partitions, log);
        await rig.RegisterStacksAsync(survivor);

        using var hosts = new HostPool([survivor, victim]);
        var load = new PipelineLoad(hosts, options.PollInterval);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(options.Timeout);
        var clock = Stopwatch.StartNew();
        var driving = load.DriveAsync([.. rig.Lanes.Select(l => (l.Stack, l.Commits))], deadline.Token);

        // Kill the second host once a third of the runs has started and it holds partitions (or after a minute of trying).
        while (load.Started < Math.Max(1, options.Runs / 3) && !driving.IsCompleted) await Task.Delay(100, cancellation);
        var leases = new Dictionary<string, string>();
        var waitForLeases = Stopwatch.StartNew();
        while (waitForLeases.Elapsed < TimeSpan.FromSeconds(60) && !driving.IsCompleted)
        {
            leases = await LeaseOwnersAsync(rig.Azurite.ConnectionString, cancellation);
            if (leases.Values.Any(o => o.EndsWith($"-{victim.Process.Id}", StringComparison.Ordinal))) break;
            await Task.Delay(500, cancellation);
        }
        var killedAt = clock.Elapsed;
        var startedBeforeKill = load.Started;
        var finishedBeforeKill = load.Finished.Count;
        hosts.Kill(1);
        log.WriteLine($"  killed LocalHost 2 (pid {victim.Process.Id}) at {killedAt.TotalSeconds:0.0} s: {startedBeforeKill} runs started, {finishedBeforeKill} finished; partition owners then: " +
                      string.Join(", ", leases.OrderBy(l => l.Key).Select(l => $"{l.Key}={Who(l.Value, survivor, victim)}")));

        var timedOut = false;
        try
        {
            await Progress.WhileAsync(driving, () => $"{load.Finished.Count} of {load.Started} started runs finished", log, cancellation);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            timedOut = true;
        }
        var elapsed = clock.Elapsed;
        var leasesAfter = await LeaseOwnersAsync(rig.Azurite.ConnectionString, cancellation);

        var finished = load.Finished;
        var started = load.StartedIds;
        var completed = finished.Count(r => r.Status == "Completed");
        var lost = started.Count - completed;
        var history = await EngineHistory.ReadAsync(rig.Azurite.ConnectionString, TaskHub, started, cancellation);
        var twiceInRun = finished.Sum(r => r.Deployments.GroupBy(e => e).Count(g => g.Count() > 1));
        var twiceScheduled = history.Sum(h => h.DeployTargets.GroupBy(e => e).Count(g => g.Count() > 1));
        var rowsOff = await DeploymentRowsOffAsync(rig.Azurite.ConnectionString, started, ArmStackRepository.Layout.Default.ProductionInstances.Count + 1, cancellation);
        var recovery = finished.Where(r => r.Status == "Completed").Select(r => r.ObservedDuration.TotalSeconds).DefaultIfEmpty().Max();

        log.WriteLine();
        log.WriteLine($"Scale-out drill result{(timedOut ? $" (stopped at the {options.Timeout.TotalMinutes:0} min limit)" : "")}:");
        log.WriteLine($"  runs started                {started.Count} of {options.Runs}");
        log.WriteLine($"  runs completed              {completed}{string.Concat(finished.Where(r => r.Status != "Completed").Take(3).Select(r => $"; {r.Id} {r.Status}: {r.Reason}"))}");
        log.WriteLine($"  runs lost                   {lost}{(lost == 0 ? "" : ": " + string.Join(", ", started.Except(finished.Select(f => f.Id)).Take(5)))}");
        log.WriteLine($"  deployments applied twice   {twiceInRun} in the runs' deployment lists; {twiceScheduled} (run, environment) pairs with a DeployEnvironment scheduled twice in the history; " +
                      $"{rowsOff} runs whose pipedeployments rows are not one per environment");
        log.WriteLine($"  time to finish              {elapsed.TotalSeconds:0.0} s in all, {(elapsed - killedAt).TotalSeconds:0.0} s after the kill; the slowest run took {recovery:0.0} s, " +
                      $"{finished.Count(r => r.ObservedDuration > TimeSpan.FromMinutes(1))} runs took over a minute");
        log.WriteLine($"  requests sent again         {load.Retries} (host gone, 5xx, or a run not yet waiting when approved)");
        log.WriteLine($"  partition owners after      {string.Join(", ", leasesAfter.OrderBy(l => l.Key).Select(l => $"{l.Key}={Who(l.Value, survivor, victim)}"))}");
        return lost == 0 && twiceInRun == 0 && twiceScheduled == 0 && rowsOff == 0 && completed == started.Count ? 0 : 1;
    }

    private static string Who(string owner, LocalHostProcess survivor, LocalHostProcess victim) =>
        owner.EndsWith($"-{survivor.Process.Id}", StringComparison.Ordinal) ? "host 1"
        : owner.EndsWith($"-{victim.Process.Id}", StringComparison.Ordinal) ? "host 2 (killed)"
        : owner.Length == 0 ? "none" : owner;

    /// <summary>
    /// The owner of each partition, as the Azure Storage provider records it: in its partitions table (the table
    /// partition manager, which this version uses) or else in the leases blob container (the blob partition managers).
    /// </summary>
    private static async Task<Dictionary<string, string>> LeaseOwnersAsync(string connectionString, CancellationToken cancellation)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        var table = new TableServiceClient(connectionString).GetTableClient(TaskHub + "Partitions");
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: cancellation))
                owners[row.RowKey[(row.RowKey.LastIndexOf('-') + 1)..]] = row.GetString("CurrentOwner") ?? "";
            if (owners.Count > 0) return owners;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // No partitions table: a blob partition manager.
        }

        var container = new BlobServiceClient(connectionString).GetBlobContainerClient($"{TaskHub}-leases");
        if (!await container.ExistsAsync(cancellation)) return owners;
        await foreach (var blob in container.GetBlobsAsync(cancellationToken: cancellation))
        {
            if (!blob.Name.Contains("control", StringComparison.OrdinalIgnoreCase) || blob.Name.Contains("intent", StringComparison.OrdinalIgnoreCase)) continue;
            var content = (await container.GetBlobClient(blob.Name).DownloadContentAsync(cancellation)).Value.Content;
            try
            {
                owners[blob.Name[(blob.Name.LastIndexOf('-') + 1)..]] = (string?)JsonNode.Parse(content.ToString())?["Owner"] ?? "";
            }
            catch (System.Text.Json.JsonException)
            {
                owners[blob.Name] = "?";
            }
        }
        return owners;
    }

    /// <summary>Runs whose rows in the deployments table (partition = run, row = environment) are not exactly one per environment.</summary>
    private static async Task<int> DeploymentRowsOffAsync(string connectionString, IEnumerable<string> runs, int environments, CancellationToken cancellation)
    {
        var table = new TableServiceClient(connectionString).GetTableClient("pipedeployments");
        var off = 0;
        foreach (var run in runs)
        {
            var rows = new List<string>();
            await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {run}"), select: ["RowKey"], cancellationToken: cancellation))
                rows.Add(row.RowKey);
            if (rows.Count != environments || rows.Distinct().Count() != rows.Count) off++;
        }
        return off;
    }
}
