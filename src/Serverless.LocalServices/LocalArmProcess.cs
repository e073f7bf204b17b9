namespace Serverless.LocalServices;

/// <summary>
/// Serverless.LocalArm (the test double of Azure Resource Manager) as a separate process on a free
/// loopback HTTPS port; it writes its endpoint and self-signed certificate to a file once it listens.
/// </summary>
public sealed class LocalArmProcess : IAsyncDisposable
{
    private readonly string _directory;

    private LocalArmProcess(ChildProcess process, Uri endpoint, string certificateFile, string directory) =>
        (Process, Endpoint, CertificateFile, _directory) = (process, endpoint, certificateFile, directory);

    public ChildProcess Process { get; }
    public Uri Endpoint { get; }
    public string CertificateFile { get; }

    /// <summary>The LocalHost settings that point every environment's ARM endpoint at this stand-in.</summary>
    public IReadOnlyDictionary<string, string> HostSettings => new Dictionary<string, string>
    {
        ["Arm:Endpoint"] = Endpoint.ToString(),
        ["Arm:TrustedCertificateFile"] = CertificateFile,
        ["Arm:StaticToken"] = "local-stand-in",
        ["Arm:PollInterval"] = "00:00:00.200",
        ["Arm:RetryDelay"] = "00:00:00.500",
    };

    public static string AssemblyPath => BuildOutput.Find("Serverless.LocalArm");

    /// <summary>An HTTP client for the stand-in's own endpoints (<c>/_localarm/stats</c>, faults) that trusts exactly its certificate.</summary>
    public HttpClient CreateClient()
    {
        var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(CertificateFile));
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
            presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(certificate.RawData);
        return new HttpClient(handler) { BaseAddress = Endpoint, Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<LocalArmProcess> StartAsync(IEnumerable<string>? extraArguments = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("localarm-").FullName;
        var certificateFile = Path.Combine(directory, "localarm.pem");
        var process = ChildProcess.Start("dotnet",
            [AssemblyPath, "--urls", "https://127.0.0.1:0", $"--CertificateFile={certificateFile}", "--PollIntervalMs=100", .. extraArguments ?? []],
            directory);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!File.Exists(certificateFile))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await process.DisposeAsync();
                throw new InvalidOperationException($"LocalArm did not start:\n{process.Output}");
            }
            await Task.Delay(100);
        }
        var endpointLine = (await File.ReadAllLinesAsync(certificateFile)).First(l => l.StartsWith("endpoint:", StringComparison.Ordinal));
        return new LocalArmProcess(process, new Uri(endpointLine["endpoint:".Length..].Trim()), certificateFile, directory);
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        try { System.IO.Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
