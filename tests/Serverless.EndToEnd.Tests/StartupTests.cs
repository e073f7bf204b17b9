using Serverless.LocalServices;

namespace Serverless.EndToEnd.Tests;

public sealed class StartupTests
{
    [Fact]
    public async Task Unreachable_storage_is_reported_in_one_line_and_the_host_exits_non_zero()
    {
        var closedPort = FreePort.Next();
        var connection = Azurite.ConnectionStringFor(closedPort, closedPort, closedPort);
        await using var host = ChildProcess.Start("dotnet",
            [LocalHostProcess.AssemblyPath, "--urls", $"http://127.0.0.1:{FreePort.Next()}", $"--Storage:ConnectionString={connection}"],
            RepositoryRoot.Path);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, host.ExitCode);
        var line = Assert.Single(host.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Storage is unreachable", line);
    }
}
