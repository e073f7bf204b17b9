using System.Globalization;

namespace Serverless.LoadDriver;

/// <summary>The command line of the load driver; every figure is bounded so that a run always ends.</summary>
public sealed record DriverOptions(
    int Runs,
    int Concurrency,
    bool ScaleOut,
    TimeSpan PollInterval,
    TimeSpan Timeout,
    int Partitions,
    bool MetricsScale = false,
    int ScaleReleases = 100_000,
    int ScaleChanges = 1_000_000,
    int ScaleDays = 365)
{
    public const int MaxRuns = 5000;
    public const int MaxConcurrency = 200;

    public const string Usage = """
        Usage: dotnet run --project bench/Serverless.LoadDriver -c Release -- [options]
          --runs N              pipeline runs to drive (default 100; scale-out default 60; at most 5000)
          --concurrency C       runs in flight at once (default 10; at most 200)
          --scale-out           the scale-out drill: two LocalHost processes on one task hub, one killed mid-load
          --poll-ms MS          how often a run's status is read (default 250)
          --timeout-minutes M   give up after this long (default 20)
          --partitions P        the task hub's partition count (default 4, as LocalHost's)
          --metrics-scale       the metrics' scale figure instead: one stack seeded through the real stores on an
                                in-memory Azurite table service, then the time to answer for it (docs/metrics.md)
          --releases N          releases to seed (default 100000)
          --changes N           changes to seed (default 1000000; at least as many as releases)
          --days D              days they spread over (default 365)
        """;

    public static DriverOptions Parse(IReadOnlyList<string> args)
    {
        int? runs = null;
        var concurrency = 10;
        var scaleOut = false;
        var poll = 250;
        var timeout = 20;
        var partitions = 4;
        var metricsScale = false;
        int releases = 100_000, changes = 1_000_000, days = 365;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--runs": runs = Int(args, ++i, 1, MaxRuns); break;
                case "--concurrency": concurrency = Int(args, ++i, 1, MaxConcurrency); break;
                case "--scale-out": scaleOut = true; break;
                case "--poll-ms": poll = Int(args, ++i, 20, 10_000); break;
                case "--timeout-minutes": timeout = Int(args, ++i, 1, 600); break;
                case "--partitions": partitions = Int(args, ++i, 1, 16); break;
                case "--metrics-scale": metricsScale = true; break;
                case "--releases": releases = Int(args, ++i, 1, 1_000_000); break;
                case "--changes": changes = Int(args, ++i, 1, 10_000_000); break;
                case "--days": days = Int(args, ++i, 2, 366); break;
                case "-h" or "--help": throw new ArgumentException("");
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        if (changes < releases) throw new ArgumentException("--changes must be at least --releases: every release delivers at least its own commit.");
        if (metricsScale && scaleOut) throw new ArgumentException("Choose one of --metrics-scale and --scale-out.");
        return new DriverOptions(runs ?? (scaleOut ? 60 : 100), concurrency, scaleOut, TimeSpan.FromMilliseconds(poll), TimeSpan.FromMinutes(timeout), partitions,
            metricsScale, releases, changes, days);
    }

    private static int Int(IReadOnlyList<string> args, int index, int min, int max)
    {
        if (index >= args.Count || !int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new ArgumentException($"{args[index - 1]} needs a whole number from {min} to {max}.");
        return value;
    }
}
