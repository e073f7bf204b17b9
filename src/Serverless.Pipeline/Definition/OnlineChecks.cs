namespace Serverless.Pipeline.Definition;

/// <summary>The online checks run after each deployment to a test environment.</summary>
/// <param name="Http">HTTP probes, run in order.</param>
/// <param name="WhatIfNoChanges">Whether a what-if of the same deployment, run right after it, must show no changes.</param>
public sealed record OnlineChecks(IReadOnlyList<HttpProbe> Http, bool WhatIfNoChanges)
{
    public static OnlineChecks None { get; } = new([], false);
}
