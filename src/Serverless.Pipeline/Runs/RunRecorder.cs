using Serverless.Pipeline.Metrics;
using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Runs;

/// <summary>
/// The record step of a run (the activity <see cref="PipelineNames.RecordRun"/>): writes the run as it stands and, once it has
/// finished, projects it into the delivery metrics. This is the one place a finished run reaches the metrics.
/// </summary>
/// <remarks>
/// Order matters: a finished run's stage and deployment rows and its metrics are written before the run's own row says it
/// has finished, so whoever sees it finished (a client, a rollback that looks for the newest release) also sees them. If a
/// write fails the activity is retried and the run keeps its previous status meanwhile; every write is idempotent.
/// The observers hear of the record only after it is written, and cannot fail it.
/// </remarks>
public sealed class RunRecorder(RunStore runs, DeliveryRecorder metrics, RunObservers observers)
{
    public async Task RecordAsync(RunRecord record, CancellationToken cancellation = default)
    {
        if (record.Progress.Status.IsFinished())
        {
            await runs.RecordOutcomeAsync(record, cancellation);
            await metrics.RecordRunFinishedAsync(record, cancellation);
        }
        await runs.RecordStatusAsync(record, cancellation);
        await observers.RecordedAsync(record, cancellation);
    }
}
