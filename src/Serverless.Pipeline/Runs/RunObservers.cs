using Microsoft.Extensions.Logging;
using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Runs;

/// <summary>
/// Something that follows runs from outside their records: telemetry, a commit status on the repository's host, a log
/// line. It is told when a run starts and each time the run's record is written (<see cref="RunRecorder"/>).
/// </summary>
public interface IRunObserver
{
    Task RunStartedAsync(PipelineInput run, CancellationToken cancellation);

    Task RunRecordedAsync(RunRecord record, CancellationToken cancellation);
}

/// <summary>
/// Tells every registered <see cref="IRunObserver"/>. An observer that fails is logged and skipped: following a run never
/// fails its start or its record, and one observer never stops the next.
/// </summary>
public sealed class RunObservers(IEnumerable<IRunObserver> observers, ILogger<RunObservers> log)
{
    public static RunObservers None { get; } = new([], Microsoft.Extensions.Logging.Abstractions.NullLogger<RunObservers>.Instance);

    public Task StartedAsync(PipelineInput run, CancellationToken cancellation) =>
        EachAsync(run.RunId, o => o.RunStartedAsync(run, cancellation));

    public Task RecordedAsync(RunRecord record, CancellationToken cancellation) =>
        EachAsync(record.Input.RunId, o => o.RunRecordedAsync(record, cancellation));

    private async Task EachAsync(string runId, Func<IRunObserver, Task> tell)
    {
        foreach (var observer in observers)
        {
            try
            {
                await tell(observer);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("{Observer} failed for run {RunId}: {Error}", observer.GetType().Name, runId, e.Message);
            }
        }
    }
}
