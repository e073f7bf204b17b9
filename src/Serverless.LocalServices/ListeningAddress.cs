using System.Text.RegularExpressions;

namespace Serverless.LocalServices;

/// <summary>The address an ASP.NET Core process bound, read from the "Now listening on" line it logs at start.</summary>
public static partial class ListeningAddress
{
    public static async Task<Uri> ReadAsync(ChildProcess process, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (NowListeningOn().Match(process.Output) is { Success: true } line) return new Uri(line.Groups["address"].Value);
            if (process.HasExited)
                throw new InvalidOperationException($"The process exited with code {process.ExitCode} before it listened:\n{process.Output}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The process did not listen within {timeout.TotalSeconds:0} s:\n{process.Output}");
            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"Now listening on: (?<address>http://127\.0\.0\.1:\d+)")]
    private static partial Regex NowListeningOn();
}
