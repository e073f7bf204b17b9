using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Serverless.Pipeline.Definition;

namespace Serverless.Pipeline.Deploy;

/// <summary>
/// HTTP health checks of a deployed environment: <see cref="WatchAsync"/> measures how long a URL was
/// unavailable (no 2xx answer, or no answer) while a deployment ran; <see cref="ProbeAsync(Uri, int, TimeSpan, int, TimeSpan?, CancellationToken)"/>
/// runs one online check with retries and keeps the evidence of every attempt. Both ask the <see cref="OutboundPolicy"/>
/// once, before the first request: a refused URL is not requested at all, and what it says is only the policy's rule.
/// </summary>
public sealed class HealthProbe(IHttpClientFactory http, OutboundPolicy policy, TimeProvider time, ILogger<HealthProbe> logger)
{
    public const string HttpClientName = "health-probe";

    private static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Probes <paramref name="url"/> every <paramref name="interval"/> until <paramref name="work"/> has
    /// finished (one last probe follows its end), and reports the time it was unavailable. The work's own
    /// result or exception is left to the caller, who awaits <paramref name="work"/>. A URL the outbound policy
    /// refuses is not probed: the report says why (<see cref="AvailabilityReport.Refusal"/>) and has no probes.
    /// </summary>
    /// <param name="requestTimeout">How long one probe may wait for an answer; by default the interval, at least 2 s.</param>
    public async Task<AvailabilityReport> WatchAsync(Uri url, Task work, TimeSpan interval, TimeSpan? requestTimeout = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        var timeout = requestTimeout ?? (interval > TimeSpan.FromSeconds(2) ? interval : TimeSpan.FromSeconds(2));
        if (await policy.RefusalAsync(url, cancellation) is { } refusal)
        {
            logger.LogWarning("{Url} is not watched: {Refusal}", url, refusal);
            return AvailabilityReport.NotWatched(url, time.GetUtcNow(), refusal);
        }
        using var client = http.CreateClient(HttpClientName);
        var samples = new List<ProbeAttempt>();
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            var sample = await SendAsync(client, url, samples.Count + 1, timeout, cancellation);
            samples.Add(sample);
            if (work.IsCompleted)
                break;
            var wait = sample.At + interval - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
                await Task.WhenAny(work, Task.Delay(wait, time, cancellation));
        }
        var report = Summarize(url, samples);
        if (report.Outages.Count > 0)
            logger.LogWarning("{Url} was unavailable for {Seconds:0.0} s in {Outages} outage(s) ({Failed} of {Probes} probes failed)",
                url, report.UnavailableSeconds, report.Outages.Count, report.FailedProbes, report.Probes);
        return report;
    }

    /// <summary>
    /// One online check: GET <paramref name="url"/> until it answers <paramref name="expectedStatus"/>, at
    /// most 1 + <paramref name="retries"/> times, each within <paramref name="timeout"/>, waiting
    /// <paramref name="retryDelay"/> (default 1 s) in between. A URL the outbound policy refuses fails without a request.
    /// </summary>
    public async Task<ProbeOutcome> ProbeAsync(Uri url, int expectedStatus, TimeSpan timeout, int retries, TimeSpan? retryDelay = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        if (await policy.RefusalAsync(url, cancellation) is { } refusal)
        {
            logger.LogWarning("Probe {Url}: {Refusal}", url, refusal);
            return new ProbeOutcome(url, false, [], $"GET {url} expecting {expectedStatus}: {refusal}; no request was sent.", refusal);
        }
        using var client = http.CreateClient(HttpClientName);
        var attempts = new List<ProbeAttempt>();
        for (var number = 1; number <= retries + 1; number++)
        {
            var attempt = await SendAsync(client, url, number, timeout, cancellation);
            attempts.Add(attempt);
            if (attempt.Status == expectedStatus)
                break;
            if (number <= retries)
                await Task.Delay(retryDelay ?? DefaultRetryDelay, time, cancellation);
        }
        var passed = attempts[^1].Status == expectedStatus;
        var evidence = Evidence(url, expectedStatus, timeout, retries, attempts, passed);
        logger.LogInformation("Probe {Url}: {Result} after {Attempts} attempt(s)", url, passed ? "passed" : "failed", attempts.Count);
        return new ProbeOutcome(url, passed, attempts, evidence);
    }

    /// <summary>
    /// An online check of the pipeline definition: its URL, or the deployment output that holds it
    /// (<paramref name="outputs"/> from <c>ArmDeploymentOutcome.Outputs</c>).
    /// </summary>
    public Task<ProbeOutcome> ProbeAsync(HttpProbe probe, IReadOnlyDictionary<string, JsonElement> outputs, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(outputs);
        string? text = probe.Url;
        if (text is null && probe.Output is { } output)
            text = outputs.TryGetValue(output, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (text is null || !Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            var source = probe.Url is not null ? $"its URL '{probe.Url}'" : $"the deployment output '{probe.Output}'";
            return Task.FromResult(new ProbeOutcome(null, false, [], $"Probe '{probe.Name}': {source} is not an absolute http(s) URL (or the output is missing)."));
        }
        return ProbeAsync(url, probe.ExpectedStatus, probe.Timeout, probe.Retries, cancellation: cancellation);
    }

    private async Task<ProbeAttempt> SendAsync(HttpClient client, Uri url, int number, TimeSpan timeout, CancellationToken cancellation)
    {
        var at = time.GetUtcNow();
        var started = time.GetTimestamp();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            return new ProbeAttempt(number, at, (int)response.StatusCode, Elapsed(started), null);
        }
        catch (HttpRequestException e) when (e.InnerException is OutboundRefusedException refused)
        {
            // The name resolved to another address than before (DNS rebinding): still no connection.
            return new ProbeAttempt(number, at, null, Elapsed(started), refused.Message);
        }
        catch (HttpRequestException e)
        {
            return new ProbeAttempt(number, at, null, Elapsed(started), $"no connection: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return new ProbeAttempt(number, at, null, Elapsed(started), $"no answer within {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s");
        }
    }

    private double Elapsed(long started) => Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 1);

    private static AvailabilityReport Summarize(Uri url, List<ProbeAttempt> samples)
    {
        var outages = new List<Outage>();
        ProbeAttempt? down = null;
        foreach (var sample in samples)
        {
            if (!sample.IsAvailable && down is null)
                down = sample;
            else if (sample.IsAvailable && down is not null)
            {
                outages.Add(new Outage(down.At, sample.At, Describe(down)));
                down = null;
            }
        }
        var ended = samples[^1].At;
        if (down is not null)
            outages.Add(new Outage(down.At, ended > down.At ? ended : down.At, Describe(down)));
        return new AvailabilityReport(url, samples[0].At, ended, samples.Count, samples.Count(s => !s.IsAvailable),
            Math.Round(outages.Sum(o => o.Seconds), 3), outages);
    }

    private static string Describe(ProbeAttempt attempt) =>
        attempt.Status is { } status ? $"HTTP {status}" : attempt.Error ?? "no answer";

    private static string Evidence(Uri url, int expected, TimeSpan timeout, int retries, List<ProbeAttempt> attempts, bool passed)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"GET {url} expecting {expected} (timeout {timeout.TotalSeconds:0.###} s, {retries} retries): {(passed ? "passed" : "failed")}");
        foreach (var attempt in attempts)
        {
            text.AppendLine();
            text.Append(CultureInfo.InvariantCulture, $"  attempt {attempt.Number} at {attempt.At:HH:mm:ss.fff}Z: ");
            text.Append(attempt.Status is { } status
                ? string.Create(CultureInfo.InvariantCulture, $"{status} in {attempt.LatencyMs:0.#} ms")
                : string.Create(CultureInfo.InvariantCulture, $"{attempt.Error} after {attempt.LatencyMs:0.#} ms"));
        }
        return text.ToString();
    }
}
