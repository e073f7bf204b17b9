using System.Diagnostics;
using Serverless.LocalServices;

namespace Serverless.LoadDriver;

/// <summary>Prints a line now and then while a long task runs.</summary>
public static class Progress
{
    public static async Task<T> WhileAsync<T>(Task<T> work, Func<string> status, TextWriter log, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        while (await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(30), cancellation)) != work)
            log.WriteLine($"    … {clock.Elapsed.TotalSeconds:0} s: {status()}");
        return await work;
    }
}

/// <summary>
/// The load: N pipeline runs at concurrency C (C stacks, each delivering its changes one after another) through one LocalHost process, then N bare chains of as many empty
/// activities as a pipeline run had, on the same Azurite, in this process; the pipeline's figures, the bare
/// engine's, and the ratio between them.
/// </summary>
public static class LoadRun
{
    private const string PipelineHub = "load";
    private const string BareHub = "loadbare";

    public static async Task<int> RunAsync(DriverOptions options, TextWriter log, CancellationToken cancellation)
    {
        log.WriteLine($"Load: {options.Runs} pipeline runs at concurrency {options.Concurrency} on {Environment.ProcessorCount} cores; polling every {options.PollInterval.TotalMilliseconds:0} ms; load average {LoadAverage()}.");
        await using var rig = await LoadRig.StartAsync(options.Runs, options.Concurrency, extra: 1, log);
        var host = await rig.StartHostAsync(PipelineHub, options.Partitions, log);
        await rig.RegisterStacksAsync(host);

        // The pipeline: one warm-up run (start-up costs: JIT, tables, the first clone), then the measured ones.
        using var hosts = new HostPool([host]);
        var load = new PipelineLoad(hosts, options.PollInterval);
        var warm = await load.DriveAsync([(rig.Lanes[0].Stack, [rig.Lanes[0].Commits[0]])], cancellation);
        log.WriteLine($"  warm-up run: {warm[0].Status} in {warm[0].ObservedDuration.TotalSeconds:0.0} s");
        var lanes = rig.Lanes.Select((lane, i) => (lane.Stack, (IReadOnlyList<string>)[.. lane.Commits.Skip(i == 0 ? 1 : 0)])).ToList();

        var azurite = CpuMeter.FindProcesses("azurite", rig.Azurite.DataDirectory);
        var meter = CpuMeter.Start(new()
        {
            ["LocalHost"] = [host.Process.Id],
            ["Azurite"] = azurite,
            ["driver"] = [Environment.ProcessId],
        });
        var wall = Stopwatch.StartNew();
        var runs = await Progress.WhileAsync(load.DriveAsync(lanes, cancellation), () => $"{load.Finished.Count - 1} of {options.Runs} runs finished", log, cancellation);
        wall.Stop();
        var cpu = meter.Stop();
        var peak = CpuMeter.PeakMemoryMegabytes(host.Process.Id);
        var history = await EngineHistory.ReadAsync(rig.Azurite.ConnectionString, PipelineHub, runs.Select(r => r.Id), cancellation);
        await rig.StopHostAsync(host);

        // The yardstick: the same number of chains, each of as many empty activities as a pipeline run had.
        var steps = (int)Math.Round(history.Average(h => h.Activities));
        await using var bare = await BareEngine.StartAsync(rig.Azurite.ConnectionString, BareHub, options.Partitions, cancellation);
        await bare.RunChainsAsync(["warm-up"], steps, 1, options.PollInterval, cancellation);
        var ids = Enumerable.Range(1, options.Runs).Select(i => $"chain-{i:D5}").ToList();
        var bareMeter = CpuMeter.Start(new() { ["driver (engine)"] = [Environment.ProcessId], ["Azurite"] = azurite });
        var bareWall = Stopwatch.StartNew();
        var chains = await Progress.WhileAsync(bare.RunChainsAsync(ids, steps, options.Concurrency, options.PollInterval, cancellation), () => "bare chains running", log, cancellation);
        bareWall.Stop();
        var bareCpu = bareMeter.Stop();
        var bareHistory = await EngineHistory.ReadAsync(rig.Azurite.ConnectionString, BareHub, ids, cancellation);

        Report(log, options, runs, history, wall.Elapsed, cpu, peak, steps, chains, bareHistory, bareWall.Elapsed, bareCpu);
        log.WriteLine($"Load average at the end: {LoadAverage()} (other processes of this machine compete for its {Environment.ProcessorCount} cores).");
        return runs.All(r => r.Status == "Completed") ? 0 : 1;
    }

    private static void Report(
        TextWriter log, DriverOptions options,
        IReadOnlyList<RunOutcome> runs, IReadOnlyList<InstanceHistory> history, TimeSpan wall,
        (double MachineBusy, IReadOnlyDictionary<string, double> Cores) cpu, double? peak,
        int steps, IReadOnlyList<(string Id, TimeSpan Duration)> chains, IReadOnlyList<InstanceHistory> bareHistory, TimeSpan bareWall,
        (double MachineBusy, IReadOnlyDictionary<string, double> Cores) bareCpu)
    {
        var completed = runs.Count(r => r.Status == "Completed");
        var workItems = history.Sum(h => h.WorkItems);
        var bareWorkItems = bareHistory.Sum(h => h.WorkItems);
        var pipelineRate = workItems / wall.TotalSeconds;
        var bareRate = bareWorkItems / bareWall.TotalSeconds;
        var byName = history.SelectMany(h => h.ActivitiesByName).GroupBy(p => p.Key)
            .Select(g => $"{g.Key} {Stats.Number(g.Sum(p => p.Value) / (double)history.Count, "0.##")}");

        log.WriteLine();
        log.WriteLine($"Pipeline: {runs.Count} runs of {options.Concurrency} load stacks at once, one run per stack at a time (build, 1 test environment, approval, 2 production instances)");
        log.WriteLine($"  completed                   {completed} of {runs.Count}{string.Concat(runs.Where(r => r.Status != "Completed").Take(3).Select(r => $"; {r.Id} {r.Status}: {r.Reason}"))}");
        log.WriteLine($"  wall time                   {Stats.Seconds(wall.TotalSeconds)}");
        log.WriteLine($"  runs per second             {Stats.Number(runs.Count / wall.TotalSeconds, "0.00")}");
        log.WriteLine($"  activities per run          {Stats.Number(history.Average(h => h.Activities), "0.##")} ({string.Join(", ", byName)}; from the history table)");
        log.WriteLine($"  orchestrator episodes/run   {Stats.Number(history.Average(h => h.Episodes), "0.##")}");
        log.WriteLine($"  work items per second       {Stats.Number(pipelineRate)} ({workItems} = episodes + activities, from {PipelineHub}History)");
        var toBuild = runs.Select(r => r.RequestToBuildStart?.TotalSeconds).OfType<double>().ToList();
        log.WriteLine($"  request → build start       p50 {Stats.Seconds(Stats.Percentile(toBuild, 0.5))}, p99 {Stats.Seconds(Stats.Percentile(toBuild, 0.99))}");
        var durations = runs.Select(r => r.Duration?.TotalSeconds).OfType<double>().ToList();
        log.WriteLine($"  run duration (requested → finished, incl. the driver's approval)  p50 {Stats.Seconds(Stats.Percentile(durations, 0.5))}, p99 {Stats.Seconds(Stats.Percentile(durations, 0.99))}");
        log.WriteLine($"  LocalHost peak memory       {(peak is { } mb ? $"{mb:0} MB (VmHWM)" : "n/a")}");
        log.WriteLine($"  CPU                         machine {cpu.MachineBusy:P0} busy; {Cores(cpu.Cores)}");

        log.WriteLine();
        log.WriteLine($"Bare engine: {chains.Count} chains of {steps} empty activities, concurrency {options.Concurrency}, in this process (task hub '{BareHub}', same settings)");
        log.WriteLine($"  wall time                   {Stats.Seconds(bareWall.TotalSeconds)}");
        log.WriteLine($"  chains per second           {Stats.Number(chains.Count / bareWall.TotalSeconds, "0.00")}");
        log.WriteLine($"  orchestrator episodes/chain {Stats.Number(bareHistory.Average(h => h.Episodes), "0.##")}");
        log.WriteLine($"  work items per second       {Stats.Number(bareRate)} ({bareWorkItems})");
        log.WriteLine($"  chain duration              p50 {Stats.Seconds(Stats.Percentile(chains.Select(c => c.Duration.TotalSeconds), 0.5))}");
        log.WriteLine($"  CPU                         machine {bareCpu.MachineBusy:P0} busy; {Cores(bareCpu.Cores)}");

        log.WriteLine();
        log.WriteLine($"Pipeline vs bare engine: work items/s {Stats.Number(pipelineRate / bareRate, "0.00")}×; " +
                      $"runs/s ÷ chains/s {Stats.Number(bareWall.TotalSeconds / wall.TotalSeconds, "0.00")}× " +
                      $"(overhead: a pipeline run takes {Stats.Number(wall.TotalSeconds / bareWall.TotalSeconds, "0.00")}× the time of a bare chain of as many activities)");
    }

    /// <summary>The machine's 1, 5 and 15 minute load averages, to judge whether other work disturbed a measurement.</summary>
    internal static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string Cores(IReadOnlyDictionary<string, double> cores) =>
        string.Join(", ", cores.Select(c => $"{c.Key} {c.Value:0.00} cores"));
}
