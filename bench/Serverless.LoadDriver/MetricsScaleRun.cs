using System.Diagnostics;
using Azure.Data.Tables;
using Serverless.LocalServices;

namespace Serverless.LoadDriver;

/// <summary>
/// The metrics' scale figure (docs/metrics.md): one stack seeded with many releases and changes through the real
/// stores on an Azurite table service this run starts (in memory, on a free loopback port), then the time to answer.
/// </summary>
public static class MetricsScaleRun
{
    public static async Task<int> RunAsync(DriverOptions options, TextWriter log, CancellationToken cancellation)
    {
        var bin = Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", "azurite-table");
        if (!File.Exists(bin)) throw new InvalidOperationException($"Azurite is not installed: run 'bash scripts/ensure-tools' in {RepositoryRoot.Path}.");
        var port = FreePort.Next();
        // A million changes are two million rows in the emulator's memory: give Node the heap for them.
        await using var table = ChildProcess.Start(bin,
            ["--tableHost", "127.0.0.1", "--tablePort", port.ToString(), "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--loose"],
            RepositoryRoot.Path, new Dictionary<string, string> { ["NODE_OPTIONS"] = "--max-old-space-size=16384" });
        await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60), () => table.Output);
        var service = new TableServiceClient(Azurite.ConnectionStringFor(FreePort.Next(), FreePort.Next(), port));
        log.WriteLine($"Metrics scale: {options.ScaleReleases:N0} releases, {options.ScaleChanges:N0} changes over {options.ScaleDays} days, " +
                      $"Azurite table in memory on 127.0.0.1:{port} (pid {table.Id}), {Environment.ProcessorCount} cores");

        var clock = Stopwatch.StartNew();
        var report = await MetricsScale.SeedAndMeasureAsync(service, "scale",
            new MetricsScale.Options(options.ScaleReleases, options.ScaleChanges, options.ScaleDays), log, cancellation);
        log.WriteLine();
        log.WriteLine($"seed changes             {report.SeedChanges:hh\\:mm\\:ss}");
        log.WriteLine($"seed releases            {report.SeedReleases:hh\\:mm\\:ss}");
        log.WriteLine($"build rollups            {report.BuildRollups:hh\\:mm\\:ss}");
        log.WriteLine($"window                   {report.Window.From:O} .. {report.Window.To:O} ({report.Window.Days:0.##} days)");
        log.WriteLine($"rows read                {report.RollupRowsRead} rollups + {report.EdgeRawRowsRead} raw edge rows");
        log.WriteLine($"answer from rollups      median {report.MedianQueryMilliseconds:0} ms of [{string.Join(", ", report.QueryMilliseconds.Select(m => m.ToString("0")))}]");
        log.WriteLine($"answer from raw rows     {report.RawQueryMilliseconds:0} ms");
        log.WriteLine($"same answer both ways    {report.RollupsMatchRaw}");
        log.WriteLine($"releases in the answer   {report.Metrics.DeploymentFrequency.Releases:N0}");
        log.WriteLine($"whole command            {clock.Elapsed:hh\\:mm\\:ss}; load average at the end: {LoadRun.LoadAverage()}");
        return report.RollupsMatchRaw == false ? 1 : 0;
    }
}
