using Serverless.Pipeline.Stacks;

namespace Serverless.LocalHost.Startup;

/// <summary>Registers the sample stack at start-up unless it exists, so that the demo has something to deliver.</summary>
public sealed class SampleStackRegistration(StackStore stacks, TimeProvider clock, ILogger<SampleStackRegistration> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await stacks.FindAsync(SampleStack.Name, cancellationToken) is not null) return;
        await stacks.SaveAsync(SampleStack.Registration.ToDefinition(SampleStack.Name, clock.GetUtcNow()), cancellationToken);
        log.LogInformation("Registered the sample stack {Stack}", SampleStack.Name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
