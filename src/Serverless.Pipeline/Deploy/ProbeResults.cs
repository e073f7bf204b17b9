namespace Serverless.Pipeline.Deploy;

/// <summary>One HTTP request of a probe.</summary>
/// <param name="Number">1 for the first attempt.</param>
/// <param name="At">When it was sent.</param>
/// <param name="Status">The HTTP status, or null when no answer came.</param>
/// <param name="LatencyMs">How long the answer took (or the failure).</param>
/// <param name="Error">Why there was no answer (connection refused, timeout), or null.</param>
public sealed record ProbeAttempt(int Number, DateTimeOffset At, int? Status, double LatencyMs, string? Error)
{
    public bool IsAvailable => Status is >= 200 and < 300;
}

/// <summary>The result of an online check: passed or not, with the evidence of every attempt.</summary>
/// <param name="Url">The URL probed, or null when it could not be resolved.</param>
/// <param name="Passed">True when an attempt answered the expected status.</param>
/// <param name="Attempts">Every attempt, in order.</param>
/// <param name="Evidence">Readable lines: what was expected, and each attempt's status, latency or error.</param>
/// <param name="Refusal">The outbound policy's rule when it refused the URL (then no request was sent), or null.</param>
public sealed record ProbeOutcome(Uri? Url, bool Passed, IReadOnlyList<ProbeAttempt> Attempts, string Evidence, string? Refusal = null);

/// <summary>A period in which the probed URL was unavailable: from the first failing probe to the next good one.</summary>
public sealed record Outage(DateTimeOffset Start, DateTimeOffset End, string FirstFailure)
{
    public double Seconds => (End - Start).TotalSeconds;
}

/// <summary>
/// How available a URL was while something ran (a deployment). Sampled: an outage is measured from
/// the first failing probe to the next successful one, so it is known to about one probe interval.
/// </summary>
/// <param name="Url">The URL probed.</param>
/// <param name="Started">The first probe.</param>
/// <param name="Ended">The last probe (after the watched work finished).</param>
/// <param name="Probes">How many probes were sent.</param>
/// <param name="FailedProbes">How many of them got no 2xx answer.</param>
/// <param name="UnavailableSeconds">The sum of the outages.</param>
/// <param name="Outages">Each outage.</param>
/// <param name="Refusal">The outbound policy's rule when it refused the URL (then nothing was probed or measured), or null.</param>
public sealed record AvailabilityReport(
    Uri Url,
    DateTimeOffset Started,
    DateTimeOffset Ended,
    int Probes,
    int FailedProbes,
    double UnavailableSeconds,
    IReadOnlyList<Outage> Outages,
    string? Refusal = null)
{
    public static AvailabilityReport NotWatched(Uri url, DateTimeOffset at, string refusal) => new(url, at, at, 0, 0, 0, [], refusal);
}
