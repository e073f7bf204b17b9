using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;

namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// The one retry layer for ARM requests: Azure.Core's own <see cref="RetryPolicy"/> in the ArmClient's pipeline,
/// deciding with <see cref="ArmFailures"/> what is worth another attempt. The delays are Azure.Core's exponential
/// strategy (<see cref="ArmOptions.RetryDelay"/> doubling up to <see cref="ArmOptions.MaxRetryDelay"/>, ±20% jitter),
/// and Azure.Core's <see cref="DelayStrategy"/> waits at least what ARM asked for with <c>retry-after-ms</c>,
/// <c>x-ms-retry-after-ms</c> or <c>Retry-After</c> (seconds or an HTTP date), even beyond the maximum delay.
/// No retry starts when its wait (ARM's Retry-After, or at most <see cref="ArmOptions.MaxRetryDelay"/>) could reach past
/// the deployer call's <see cref="ArmDeadline"/> (<see cref="WithDeadline"/>).
/// </summary>
internal sealed class ArmRetryPolicy(ArmOptions options, ILogger? logger)
    : RetryPolicy(options.MaxAttempts - 1, DelayStrategy.CreateExponentialDelayStrategy(options.RetryDelay, options.MaxRetryDelay))
{
    /// <summary>Marks the message with the deadline of the deployer call it belongs to.</summary>
    public static void WithDeadline(HttpMessage message, ArmDeadline deadline) => message.SetProperty(typeof(ArmDeadline), deadline);

    protected override bool ShouldRetry(HttpMessage message, Exception? exception) => Decide(message, exception);

    protected override ValueTask<bool> ShouldRetryAsync(HttpMessage message, Exception? exception) => new(Decide(message, exception));

    private bool Decide(HttpMessage message, Exception? exception)
    {
        var attempt = message.ProcessingContext.RetryNumber + 1;
        if (attempt >= options.MaxAttempts)
            return false;
        var reply = exception is null && message.HasResponse ? ArmReply.From(message.Response) : null;
        var transient = reply is not null ? ArmFailures.IsTransient(reply) : exception is not null && ArmFailures.IsNetworkFailure(exception, message.CancellationToken);
        if (transient && message.TryGetProperty(typeof(ArmDeadline), out var value) && value is ArmDeadline deadline)
        {
            var longestWait = reply?.RetryAfter(deadline.Time.GetUtcNow()) is { } asked && asked > options.MaxRetryDelay ? asked : options.MaxRetryDelay;
            if (longestWait >= deadline.Remaining)
                return false;
        }
        if (transient)
        {
            logger?.LogWarning("ARM {Method} {Path}: attempt {Attempt} of {MaxAttempts} got {Failure}; retrying",
                message.Request.Method, message.Request.Uri.Path, attempt, options.MaxAttempts,
                reply?.Describe() ?? $"{exception!.GetType().Name}: {exception.Message}");
        }
        return transient;
    }
}
