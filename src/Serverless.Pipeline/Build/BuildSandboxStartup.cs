using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Serverless.Pipeline.Build;

/// <summary>
/// Decides at start how builds run the Bicep CLI and says so once. When Build:Sandbox requires bubblewrap and it does
/// not work here, the host does not start.
/// </summary>
public sealed class BuildSandboxStartup(BicepCompiler bicep, ILogger<BuildSandboxStartup> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        BuildSandbox sandbox;
        try
        {
            sandbox = await bicep.SandboxAsync();
        }
        catch (InvalidOperationException e)
        {
            log.LogCritical("{Refusal}", e.Message);
            throw;
        }
        if (sandbox.Bubblewrap is null) log.LogWarning("Builds: {Sandbox}", sandbox.Description);
        else log.LogInformation("Builds: {Sandbox}", sandbox.Description);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
