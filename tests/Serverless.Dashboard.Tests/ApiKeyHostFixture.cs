namespace Serverless.Dashboard.Tests;

/// <summary>
/// A second Azurite and LocalHost, configured with API keys (a reader's and an operator's, made up here), whose dashboard
/// must ask for a key. Its own address is the approval links' base URL.
/// </summary>
public sealed class ApiKeyHostFixture : IAsyncLifetime
{
    public static readonly string ReaderKey = "reader-" + Guid.NewGuid().ToString("N");
    public static readonly string OperatorKey = "operator-" + Guid.NewGuid().ToString("N");

    public Azurite Azurite { get; private set; } = null!;
    public LocalHostProcess Host { get; private set; } = null!;

    /// <summary>An HTTP client that calls as the operator.</summary>
    public HttpClient Operator { get; private set; } = null!;

    public PipelineDriver Runs { get; private set; } = null!;
    private string _workDirectory = null!;

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartOnFreePortsAsync();
        _workDirectory = Directory.CreateTempSubdirectory("pipeline-dashboard-keys-").FullName;
        Host = await LocalHostProcess.StartAsync(Azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Sources:WorkDirectory"] = _workDirectory,
            ["Security:ApiKeys:dashboard-reader:Key"] = ReaderKey,
            ["Security:ApiKeys:dashboard-reader:Role"] = "Reader",
            ["Security:ApiKeys:dashboard-operator:Key"] = OperatorKey,
            ["Security:ApiKeys:dashboard-operator:Role"] = "Operator",
        });
        Operator = Host.CreateClient();
        Operator.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
        Runs = await PipelineDriver.ForSampleStackAsync(Host, Operator);
    }

    public async Task DisposeAsync()
    {
        Operator?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
        if (Azurite is not null) await Azurite.DisposeAsync();
        try { if (_workDirectory is not null) Directory.Delete(_workDirectory, recursive: true); } catch (IOException) { }
    }
}
