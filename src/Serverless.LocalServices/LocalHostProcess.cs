using System.Net.Http.Json;

namespace Serverless.LocalServices;

/// <summary>Serverless.LocalHost as a separate process, started from its build output exactly as a user would run it.</summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    private LocalArmProcess? _arm;

    private LocalHostProcess(ChildProcess process, Uri baseAddress) => (Process, BaseAddress) = (process, baseAddress);

    public ChildProcess Process { get; }
    public Uri BaseAddress { get; }

    public static string AssemblyPath => BuildOutput.Find("Serverless.LocalHost");

    /// <summary>The ARM stand-in this host deploys to, when it started one.</summary>
    public LocalArmProcess? Arm => _arm;

    /// <summary>
    /// Starts LocalHost on a loopback port the system gives it and waits until it answers. Unless the
    /// settings name an ARM endpoint, it also starts a LocalArm stand-in for it to deploy to, and stops it
    /// with the host.
    /// </summary>
    /// <remarks>
    /// The host binds port 0 and this reads the port from its "Now listening on" line: a port picked
    /// here and bound there could be taken in between by another test's host, whose answers would then
    /// be mistaken for this one's.
    /// </remarks>
    public static async Task<LocalHostProcess> StartAsync(string storageConnectionString, IDictionary<string, string>? settings = null)
    {
        settings = new Dictionary<string, string>(settings ?? new Dictionary<string, string>());
        LocalArmProcess? arm = null;
        if (!settings.ContainsKey("Arm:Endpoint"))
        {
            arm = await LocalArmProcess.StartAsync();
            foreach (var (key, value) in arm.HostSettings) settings[key] = value;
        }
        var arguments = new List<string>
        {
            AssemblyPath,
            "--urls", "http://127.0.0.1:0",
            $"--Storage:ConnectionString={storageConnectionString}",
        };
        arguments.AddRange(settings.Select(s => $"--{s.Key}={s.Value}"));
        var process = ChildProcess.Start("dotnet", arguments, Path.GetDirectoryName(AssemblyPath)!,
            new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Production", ["ASPNETCORE_ENVIRONMENT"] = "Production" });
        var timeout = TimeSpan.FromSeconds(90);
        Uri address;
        try
        {
            address = await ListeningAddress.ReadAsync(process, timeout);
        }
        catch
        {
            await process.DisposeAsync();
            if (arm is not null) await arm.DisposeAsync();
            throw;
        }
        var host = new LocalHostProcess(process, address) { _arm = arm };
        try
        {
            await host.WaitUntilHealthyAsync(timeout);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        if (_arm is not null) await _arm.DisposeAsync();
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Process.HasExited)
                throw new InvalidOperationException($"LocalHost exited with code {Process.ExitCode}:\n{Process.Output}");
            try
            {
                var health = await client.GetFromJsonAsync<Dictionary<string, string>>("/healthz");
                if (health?["status"] == "ok") return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"LocalHost did not answer within {timeout.TotalSeconds:0} s:\n{Process.Output}");
            await Task.Delay(200);
        }
    }
}
