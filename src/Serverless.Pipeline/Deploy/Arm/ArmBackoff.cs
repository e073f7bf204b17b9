namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// How long to wait before a retry: exponential from <see cref="ArmOptions.RetryDelay"/> (doubling, up to
/// <see cref="ArmOptions.MaxRetryDelay"/>, with ±20% jitter so that parallel deployments spread out),
/// but never less than what ARM asked for with Retry-After.
/// </summary>
internal static class ArmBackoff
{
    public static TimeSpan Delay(int failedAttempts, ArmOptions options, TimeSpan? retryAfter)
    {
        var exponent = Math.Min(failedAttempts - 1, 16);
        var backoff = TimeSpan.FromTicks((long)Math.Min(options.MaxRetryDelay.Ticks, options.RetryDelay.Ticks * Math.Pow(2, exponent)));
        backoff *= 0.8 + (0.4 * Random.Shared.NextDouble());
        return retryAfter is { } asked && asked > backoff ? asked : backoff;
    }

    /// <summary>The wait before the next poll: the poll interval, or longer when ARM asks for it (at most a minute).</summary>
    public static TimeSpan PollDelay(ArmOptions options, TimeSpan? retryAfter)
    {
        var asked = retryAfter is { } hint ? TimeSpan.FromTicks(Math.Min(hint.Ticks, MaxPollHint.Ticks)) : TimeSpan.Zero;
        return asked > options.PollInterval ? asked : options.PollInterval;
    }

    private static readonly TimeSpan MaxPollHint = TimeSpan.FromMinutes(1);
}
