using System.Text.Json.Serialization;

namespace Serverless.LocalArm.Faults;

[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>Answer 429 Too Many Requests with <c>Retry-After</c>.</summary>
    Throttle,

    /// <summary>Answer 500 Internal Server Error.</summary>
    ServerError,

    /// <summary>Answer 409 Conflict.</summary>
    Conflict,

    /// <summary>New deployments stay Running for <see cref="FaultRule.DurationSeconds"/>.</summary>
    SlowDeployment,

    /// <summary>New deployments that contain the resource <see cref="FaultRule.ResourceName"/> end Failed.</summary>
    FailResource,
}

/// <summary>
/// One fault switch, as posted to <c>POST /_localarm/faults</c>, for example
/// <c>{"kind":"Throttle","count":2,"retryAfterSeconds":1,"pathContains":"/deployments/"}</c>.
/// </summary>
public sealed record FaultRule
{
    public FaultKind Kind { get; init; }

    /// <summary>
    /// How many times the fault fires. When absent: once for the request faults (Throttle,
    /// ServerError, Conflict), until cleared for the deployment faults.
    /// </summary>
    public int? Count { get; init; }

    /// <summary>Fires only for requests whose path and query contain this text (case-insensitive).</summary>
    public string? PathContains { get; init; }

    /// <summary>Fires only for this HTTP method (request faults).</summary>
    public string? Method { get; init; }

    /// <summary>The Retry-After of a Throttle fault, in seconds.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>
    /// The header a Throttle fault asks for its wait with: <c>Retry-After</c> (seconds, the default), or ARM's
    /// <c>retry-after-ms</c> / <c>x-ms-retry-after-ms</c> (the same wait in milliseconds).
    /// </summary>
    public string RetryAfterHeader { get; init; } = "Retry-After";

    /// <summary>How long a SlowDeployment keeps a deployment Running.</summary>
    public double DurationSeconds { get; init; } = 5;

    /// <summary>The resource whose deployment fails (FailResource): its name, its type/name, or its id.</summary>
    public string? ResourceName { get; init; }

    /// <summary>The error message to send instead of the default one.</summary>
    public string? Message { get; init; }

    internal bool IsRequestFault => Kind is FaultKind.Throttle or FaultKind.ServerError or FaultKind.Conflict;
}

/// <summary>A fault switch with its counters, as listed by <c>GET /_localarm/faults</c>.</summary>
public sealed record ActiveFault(FaultRule Rule, int? Remaining, int Fired);
