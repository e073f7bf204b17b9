using System.Text.RegularExpressions;

namespace Serverless.LocalServices;

/// <summary>
/// When one Azurite service is ready, read from its own output: "successfully listens on http://127.0.0.1:PORT" (blob,
/// queue: the port they bound, also when asked for port 0) or "successfully started on 127.0.0.1:PORT" (table).
/// </summary>
internal static partial class AzuriteReadiness
{
    public static async Task<int> WaitAsync(ChildProcess process, int requestedPort, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var output = process.Output;
            if (Ready().Match(output) is { Success: true } line) return int.Parse(line.Groups["port"].Value);
            if (output.Contains("EADDRINUSE", StringComparison.Ordinal)) throw new PortTakenException(requestedPort, output);
            if (process.HasExited)
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before it was ready:\n{output}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Azurite was not ready within {timeout.TotalSeconds:0} s:\n{output}");
            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"successfully (?:listens on http://|started on )127\.0\.0\.1:(?<port>[1-9]\d*)")]
    private static partial Regex Ready();
}

/// <summary>An Azurite service could not bind its port because another process holds it.</summary>
public sealed class PortTakenException(int port, string output) : Exception($"port {port} is taken:\n{output}");
