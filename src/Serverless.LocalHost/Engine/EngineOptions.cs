using System.ComponentModel.DataAnnotations;

namespace Serverless.LocalHost.Engine;

/// <summary>The self-hosted Durable Task engine: task hub, partitions, polling and concurrency.</summary>
public sealed class EngineOptions
{
    public const string Section = "Engine";

    /// <summary>Hosts that share a task hub share its runs; the Function App uses the same name.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    public string TaskHub { get; set; } = "pipeline";

    [Range(1, 16)]
    public int PartitionCount { get; set; } = 4;

    /// <summary>How long an idle host waits at most between polls of its queues; the engine's default of 30 s makes it slow to react.</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a message taken by a host stays invisible to the others. When a host dies, its work
    /// comes back after this long; the engine renews it while the work runs. The engine's default of
    /// five minutes makes recovery from a crash slow.
    /// </summary>
    public TimeSpan WorkItemVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    [Range(1, 1000)]
    public int MaxConcurrentActivities { get; set; } = 32;

    [Range(1, 1000)]
    public int MaxConcurrentOrchestrations { get; set; } = 32;
}
