using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Logging;

namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// Sends one ARM request with the deployer's retries, and polls long-running operations. A transient
/// failure (<see cref="ArmFailures"/>) is retried up to <see cref="ArmOptions.MaxAttempts"/> times with
/// <see cref="ArmBackoff"/>; when the retries or the time run out it becomes a
/// <see cref="TransientArmException"/>. Any other answer is returned to the caller, which decides what
/// a 404 means and turns the rest into a <see cref="PermanentArmException"/> with <see cref="EnsureSuccess"/>.
/// </summary>
internal sealed class ArmRequestRunner(ArmOptions options, TimeProvider time, ILogger logger)
{
    public async Task<ArmReply> SendAsync(
        ArmChannel channel, RequestMethod method, Uri url, JsonNode? body, ArmDeadline deadline, string what, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            ArmReply? reply = null;
            Exception? failure = null;
            try
            {
                reply = await channel.SendAsync(method, url, body, cancellation);
                if (!ArmFailures.IsTransient(reply))
                    return reply;
            }
            catch (Exception e) when (ArmFailures.IsCertificateFailure(e))
            {
                throw new PermanentArmException(
                    $"{what}: the TLS certificate of {channel.BaseUri} was refused. With the local ARM test double, Arm:TrustedCertificateFile must be the PEM file that this LocalArm process wrote.",
                    inner: e);
            }
            catch (CredentialUnavailableException e)
            {
                throw new PermanentArmException($"{what}: no credential for Azure Resource Manager is available: {e.Message}", inner: e);
            }
            catch (Exception e) when (ArmFailures.IsNetworkFailure(e, cancellation))
            {
                failure = e;
            }

            var last = reply?.Describe() ?? $"no answer ({failure!.GetType().Name}: {failure.Message})";
            if (attempt >= options.MaxAttempts)
                throw new TransientArmException($"{what} failed {attempt} time(s); the last attempt got {last}.", reply?.Error, reply?.Status, failure);
            var delay = ArmBackoff.Delay(attempt, options, reply?.RetryAfter(time.GetUtcNow()));
            if (delay > deadline.Remaining)
                throw new TransientArmException(
                    $"{what} got {last}; waiting {Seconds(delay)} s to retry would pass the deployer's timeout of {deadline.Timeout}.", reply?.Error, reply?.Status, failure);
            logger.LogWarning("{What}: attempt {Attempt} of {MaxAttempts} got {Failure}; retrying in {DelayMs} ms",
                what, attempt, options.MaxAttempts, last, (int)delay.TotalMilliseconds);
            await Task.Delay(delay, time, cancellation);
        }
    }

    /// <summary>
    /// GETs <paramref name="url"/> until <paramref name="finished"/> says so or an answer is not a success
    /// (returned for the caller to judge), waiting the poll interval or ARM's Retry-After in between.
    /// </summary>
    public async Task<ArmReply> PollAsync(
        ArmChannel channel, Uri url, ArmReply started, Func<ArmReply, bool> finished, ArmDeadline deadline,
        string what, Func<string> stillRunning, CancellationToken cancellation)
    {
        var hint = started.RetryAfter(time.GetUtcNow());
        while (true)
        {
            if (deadline.Passed)
                throw new TransientArmException(stillRunning());
            var delay = ArmBackoff.PollDelay(options, hint);
            await Task.Delay(delay < deadline.Remaining ? delay : deadline.Remaining, time, cancellation);
            var reply = await SendAsync(channel, RequestMethod.Get, url, null, deadline, what, cancellation);
            if (!reply.IsSuccess || finished(reply))
                return reply;
            hint = reply.RetryAfter(time.GetUtcNow());
        }
    }

    /// <summary>The reply when it is a success; otherwise ARM's refusal as a <see cref="PermanentArmException"/>.</summary>
    public static ArmReply EnsureSuccess(ArmReply reply, string what)
    {
        if (reply.IsSuccess)
            return reply;
        var hint = reply.Status is 401 or 403
            ? " Check that the pipeline's identity has the Contributor role on the subscription or resource group."
            : "";
        var detail = reply.Error is { } error ? error.Describe() : reply.Describe();
        throw new PermanentArmException($"{what} was refused by Azure Resource Manager (HTTP {reply.Status}): {detail}{hint}", reply.Error, reply.Status);
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
}
