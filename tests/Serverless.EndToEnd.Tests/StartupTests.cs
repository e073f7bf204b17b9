namespace Serverless.EndToEnd.Tests;

public sealed class StartupTests
{
    private const string Tenant = "11111111-2222-4333-8444-555555555555";
    private const string Client = "66666666-7777-4888-9999-000000000000";

    [Fact]
    public async Task Unreachable_storage_is_reported_in_one_line_and_the_host_exits_non_zero()
    {
        var (exitCode, line) = await StartAsync("127.0.0.1");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("Storage is unreachable", line);
    }

    public static TheoryData<string[], string> EntraIdMisconfigurations() => new()
    {
        { ["--AzureAd:TenantId=" + Tenant, "--AzureAd:Instance=https://login.microsoftonline.com/"], "AzureAd is configured without AzureAd:ClientId" },
        { ["--AzureAd:ClientId=" + Client, "--AzureAd:TenantId=common", "--AzureAd:Instance=https://login.microsoftonline.com/"], "AzureAd:TenantId must name the one tenant" },
        { ["--AzureAd:ClientId=" + Client, "--AzureAd:TenantId=" + Tenant], "AzureAd:Instance must be the identity provider's https address" },
        { ["--AzureAd:ClientId=" + Client, "--AzureAd:TenantId=" + Tenant, "--AzureAd:Instance=http://127.0.0.1:5999/"], "AzureAd:Instance must be the identity provider's https address" },
        {
            ["--AzureAd:ClientId=" + Client, "--AzureAd:TenantId=" + Tenant, "--AzureAd:Instance=https://login.microsoftonline.com/", "--AzureAd:TrustedCertificateFile=/tmp/stand-in.pem"],
            "AzureAd:TrustedCertificateFile is for a local stand-in of Entra ID only"
        },
    };

    [Theory]
    [MemberData(nameof(EntraIdMisconfigurations))]
    public async Task A_misconfigured_Entra_ID_section_stops_the_start_in_one_line(string[] settings, string refusal)
    {
        var (exitCode, line) = await StartAsync("127.0.0.1", settings);

        Assert.Equal(3, exitCode);
        Assert.StartsWith(refusal, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_Entra_ID_configured_LocalHost_may_listen_beyond_loopback()
    {
        // Past the access check, the start stops at the unreachable storage instead.
        var (exitCode, line) = await StartAsync("0.0.0.0",
            ["--AzureAd:ClientId=" + Client, "--AzureAd:TenantId=" + Tenant, "--AzureAd:Instance=https://login.microsoftonline.com/"]);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("Storage is unreachable", line, StringComparison.Ordinal);
    }

    /// <summary>Starts LocalHost on the address with storage that nothing listens on, and returns its exit code and only line of output.</summary>
    private static async Task<(int ExitCode, string Line)> StartAsync(string address, IEnumerable<string>? settings = null)
    {
        var closedPort = FreePort.Next();
        var connection = Azurite.ConnectionStringFor(closedPort, closedPort, closedPort);
        await using var host = ChildProcess.Start("dotnet",
            [LocalHostProcess.AssemblyPath, "--urls", $"http://{address}:{FreePort.Next()}", $"--Storage:ConnectionString={connection}", .. settings ?? []],
            RepositoryRoot.Path);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.WaitForExitAsync(timeout.Token);

        return (host.ExitCode, Assert.Single(host.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
