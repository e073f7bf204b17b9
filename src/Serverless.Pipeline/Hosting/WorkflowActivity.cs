using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace Serverless.Pipeline.Hosting;

/// <summary>
/// One activity of the workflow, declared once in its slice's surface: its shared name, its input and output, and the
/// service method that does the work. LocalHost registers it from this declaration; the Function App's
/// <c>[ActivityTrigger]</c> adapter runs it through <see cref="RunAsync"/> and is checked against it by a test.
/// </summary>
public abstract record WorkflowActivity(string Name)
{
    public abstract Type Input { get; }

    public abstract Type Output { get; }

    /// <summary>The activity as the Durable Task worker runs it, with the services of its work item.</summary>
    public abstract ITaskActivity Create(IServiceProvider services);

    /// <summary>Declares an activity that a service method of <typeparamref name="TService"/> does.</summary>
    public static WorkflowActivity<TInput, TOutput> Of<TService, TInput, TOutput>(string name, Func<TService, TInput, Task<TOutput>> run)
        where TService : notnull =>
        new(name, (services, input) => run(services.GetRequiredService<TService>(), input));
}

public sealed record WorkflowActivity<TInput, TOutput>(string Name, Func<IServiceProvider, TInput, Task<TOutput>> Run) : WorkflowActivity(Name)
{
    public override Type Input => typeof(TInput);

    public override Type Output => typeof(TOutput);

    public Task<TOutput> RunAsync(IServiceProvider services, TInput input) => Run(services, input);

    public override ITaskActivity Create(IServiceProvider services) => new Adapter(this, services);

    private sealed class Adapter(WorkflowActivity<TInput, TOutput> activity, IServiceProvider services) : TaskActivity<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => activity.RunAsync(services, input);
    }
}
