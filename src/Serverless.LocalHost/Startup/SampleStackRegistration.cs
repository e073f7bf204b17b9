using Microsoft.Extensions.Options;
using Serverless.Pipeline.Build;
using Serverless.Pipeline.Stacks;

namespace Serverless.LocalHost.Startup;

/// <summary>
/// Registers the sample stack at start-up, backed by a local git repository of the sample files,
/// so that the demo has a real stack to deliver.
/// </summary>
public sealed class SampleStackRegistration(StackStore stacks, IOptions<SourceOptions> sources, TimeProvider clock, ILogger<SampleStackRegistration> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var repository = SampleRepository.Ensure(
            Path.Combine(AppContext.BaseDirectory, "samples", SampleStack.Name),
            Path.Combine(sources.Value.WorkDirectory, "samples", SampleStack.Name));
        var existing = await stacks.FindAsync(SampleStack.Name, cancellationToken);
        // Registered before (also by an older version, whose registrations had no environments): keep it unless it is stale.
        if (existing?.Repository == repository && existing.Environments().Count > 0) return;
        await stacks.SaveAsync((SampleStack.Registration with { Repository = repository }).ToDefinition(SampleStack.Name, clock.GetUtcNow()), cancellationToken);
        log.LogInformation("Registered the sample stack {Stack} from {Repository}", SampleStack.Name, repository);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
