namespace Serverless.LocalServices;

/// <summary>
/// Azurite, the Azure Storage emulator, from the repository's node_modules (pinned in package.json),
/// with its blob, queue and table services as three processes so that one node process is not the ceiling.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    /// <summary>The emulator's well-known development account; documented publicly and valid only against the emulator.</summary>
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    public const int StandardBlobPort = 10000;

    private readonly List<ChildProcess> _processes;

    private Azurite(int blobPort, int queuePort, int tablePort, List<ChildProcess> processes, string dataDirectory)
    {
        (BlobPort, QueuePort, TablePort, _processes, DataDirectory) = (blobPort, queuePort, tablePort, processes, dataDirectory);
    }

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }
    public string DataDirectory { get; }
    public bool StartedHere => _processes.Count > 0;

    public string ConnectionString => ConnectionStringFor(BlobPort, QueuePort, TablePort);

    public static string ConnectionStringFor(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};";

    /// <summary>
    /// Starts Azurite on free loopback ports with its data in a new temporary folder. Blob and queue bind port 0 and say
    /// which port they got; the table service does not say, so it gets a port picked here and, should another process take
    /// that port first, a fresh one: a port is never assumed to be Azurite's because something listens on it.
    /// </summary>
    public static async Task<Azurite> StartOnFreePortsAsync(string? dataDirectory = null)
    {
        dataDirectory ??= Directory.CreateTempSubdirectory("azurite-").FullName;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartAsync(0, 0, FreePort.Next(), dataDirectory);
            }
            catch (PortTakenException) when (attempt < 5)
            {
                // Another process bound the picked port between the pick and Azurite's bind; pick again.
            }
        }
    }

    /// <summary>Uses Azurite on its standard ports if it is running, else starts it there.</summary>
    public static async Task<Azurite> UseOrStartStandardAsync(string dataDirectory)
    {
        if (FreePort.IsListening(StandardBlobPort) && FreePort.IsListening(10001) && FreePort.IsListening(10002))
            return new Azurite(10000, 10001, 10002, [], dataDirectory);
        return await StartAsync(10000, 10001, 10002, dataDirectory);
    }

    public static async Task<Azurite> StartAsync(int blobPort, int queuePort, int tablePort, string dataDirectory)
    {
        var bin = Path.Combine(RepositoryRoot.Path, "node_modules", ".bin");
        if (!File.Exists(Path.Combine(bin, "azurite-blob")))
            throw new InvalidOperationException($"Azurite is not installed in {bin}: run 'npm ci' in {RepositoryRoot.Path} (the README's scripts do).");
        Directory.CreateDirectory(dataDirectory);

        var processes = new List<ChildProcess>
        {
            Start(bin, "azurite-blob", "--blobHost", "127.0.0.1", "--blobPort", blobPort, dataDirectory),
            Start(bin, "azurite-queue", "--queueHost", "127.0.0.1", "--queuePort", queuePort, dataDirectory),
            Start(bin, "azurite-table", "--tableHost", "127.0.0.1", "--tablePort", tablePort, dataDirectory),
        };
        try
        {
            var ports = new int[3];
            for (var i = 0; i < 3; i++)
                ports[i] = await AzuriteReadiness.WaitAsync(processes[i], new[] { blobPort, queuePort, tablePort }[i], TimeSpan.FromSeconds(60));
            return new Azurite(ports[0], ports[1], ports[2], processes, dataDirectory);
        }
        catch
        {
            foreach (var process in processes) await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the emulator (its data stays) and starts it again on the same ports, as a storage outage would.</summary>
    public async Task RestartAsync(TimeSpan downtime)
    {
        foreach (var process in _processes) process.Terminate();
        _processes.Clear();
        await Task.Delay(downtime);
        var again = await StartAsync(BlobPort, QueuePort, TablePort, DataDirectory);
        _processes.AddRange(again._processes);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes) await process.DisposeAsync();
        _processes.Clear();
    }

    private static ChildProcess Start(string bin, string service, string hostFlag, string host, string portFlag, int port, string dataDirectory) =>
        ChildProcess.Start(Path.Combine(bin, service),
            [hostFlag, host, portFlag, port.ToString(), "--location", dataDirectory, "--silent", "--skipApiVersionCheck", "--loose"],
            RepositoryRoot.Path);
}
