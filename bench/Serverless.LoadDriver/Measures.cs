using System.Globalization;

namespace Serverless.LoadDriver;

/// <summary>Small statistics: nearest-rank percentiles (every answer is an observed value).</summary>
public static class Stats
{
    public static double? Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return null;
        var rank = Math.Clamp((int)Math.Ceiling(p * sorted.Length - 1e-9), 1, sorted.Length);
        return sorted[rank - 1];
    }

    public static string Seconds(double? seconds) => seconds is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "n/a";

    public static string Number(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>
/// What processes of this machine cost, from /proc (Linux): peak resident memory, and CPU time between two
/// samples as cores used (CPU time ÷ wall time), next to how busy the whole machine was.
/// </summary>
public sealed class CpuMeter
{
    private readonly Dictionary<string, int[]> _groups;
    private readonly Dictionary<string, long> _start;
    private readonly (long Busy, long Total) _machineStart;

    private CpuMeter(Dictionary<string, int[]> groups)
    {
        _groups = groups;
        _start = groups.ToDictionary(g => g.Key, g => g.Value.Sum(ProcessTicks));
        _machineStart = MachineTicks();
    }

    /// <summary>Starts measuring named groups of processes.</summary>
    public static CpuMeter Start(Dictionary<string, int[]> groups) => new(groups);

    /// <summary>The machine's busy share of all its cores, and each group's cores used, since the start.</summary>
    public (double MachineBusy, IReadOnlyDictionary<string, double> Cores) Stop()
    {
        var machine = MachineTicks();
        var total = Math.Max(1, machine.Total - _machineStart.Total);
        var perCore = (double)total / Environment.ProcessorCount;
        var cores = _groups.ToDictionary(g => g.Key, g => (g.Value.Sum(ProcessTicks) - _start[g.Key]) / perCore);
        return ((double)(machine.Busy - _machineStart.Busy) / total, cores);
    }

    /// <summary>The processes whose command line contains all of the given texts (for example Azurite's by its data folder).</summary>
    public static int[] FindProcesses(params string[] texts)
    {
        if (!OperatingSystem.IsLinux()) return [];
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (texts.All(t => commandLine.Contains(t, StringComparison.Ordinal))) found.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return [.. found];
    }

    /// <summary>Peak resident set size (VmHWM) of a live process, in MB; null where /proc has no answer.</summary>
    public static double? PeakMemoryMegabytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return kilobytes is null ? null : long.Parse(kilobytes, CultureInfo.InvariantCulture) / 1024d;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static long ProcessTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After the command: state is field 3, utime field 14 and stime field 15 of the whole line.
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    private static (long Busy, long Total) MachineTicks()
    {
        if (!OperatingSystem.IsLinux()) return (0, 1);
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
        var total = fields.Take(8).Sum();
        return (total - idle, total);
    }
}
