using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Serverless.Pipeline.Runs;

namespace Serverless.Tests.Shared;

/// <summary>The engine as the approval API sees it: one instance per run with a custom status, and the events raised.</summary>
internal sealed class FakeEngine() : DurableTaskClient("fake")
{
    private readonly ConcurrentDictionary<string, OrchestrationMetadata> _instances = new();

    public ConcurrentQueue<(string InstanceId, string EventName, object? Payload)> Raised { get; } = new();

    public void SetRun(string runId, RunStatus status, OrchestrationRuntimeStatus runtime = OrchestrationRuntimeStatus.Running, string? reason = null,
        IReadOnlyList<StageExecution>? stages = null) =>
        _instances[runId] = new OrchestrationMetadata("PipelineOrchestrator", runId)
        {
            RuntimeStatus = runtime,
            SerializedCustomStatus = JsonSerializer.Serialize(new RunProgress(status, stages ?? [], [], Reason: reason)),
            DataConverter = JsonDataConverter.Default,
        };

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Task.FromResult(_instances.TryGetValue(instanceId, out var instance) ? instance : null);

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        Raised.Enqueue((instanceId, eventName, eventPayload));
        return Task.CompletedTask;
    }

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default) => throw new NotSupportedException();
    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();
    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();
    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();
    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();
    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => throw new NotSupportedException();
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
