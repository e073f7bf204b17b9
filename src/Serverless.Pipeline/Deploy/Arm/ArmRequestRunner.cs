using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Identity;

namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// Sends one ARM request through the ArmClient's pipeline, whose <see cref="ArmRetryPolicy"/> is the only retry
/// layer; and polls long-running operations (the only polling loop). A request still failing transiently when
/// the retries run out becomes an <see cref="ArmRetriesExhaustedException"/>; one whose retries would pass the
/// deployer's timeout a <see cref="TransientArmException"/>. Any other answer is returned to the caller, which decides what
/// a 404 means and turns the rest into a <see cref="PermanentArmException"/> with <see cref="EnsureSuccess"/>.
/// </summary>
internal sealed class ArmRequestRunner(ArmOptions options, TimeProvider time)
{
    public async Task<ArmReply> SendAsync(
        ArmChannel channel, RequestMethod method, Uri url, JsonNode? body, ArmDeadline deadline, string what, CancellationToken cancellation)
    {
        using var message = channel.CreateMessage();
        ArmRetryPolicy.WithDeadline(message, deadline);
        ArmReply reply;
        try
        {
            reply = await channel.SendAsync(message, method, url, body, cancellation);
        }
        catch (Exception e) when (ArmFailures.IsCertificateFailure(e))
        {
            throw new PermanentArmException(
                $"{what}: the TLS certificate of {channel.BaseUri} was refused. With the local ARM test double, Arm:TrustedCertificateFile must be the PEM file that this LocalArm process wrote.",
                inner: e);
        }
        catch (Exception e) when (Unwrap(e) is CredentialUnavailableException unavailable)
        {
            throw new PermanentArmException($"{what}: no credential for Azure Resource Manager is available: {unavailable.Message}", inner: e);
        }
        catch (Exception e) when (ArmFailures.IsNetworkFailure(Unwrap(e), cancellation))
        {
            var last = Unwrap(e);
            throw Exhausted($"no answer ({last.GetType().Name}: {last.Message})", null, e);
        }
        return ArmFailures.IsTransient(reply) ? throw Exhausted(reply.Describe(), reply, null) : reply;

        Exception Exhausted(string last, ArmReply? lastReply, Exception? inner)
        {
            var attempts = Attempts(message);
            // Fewer attempts than allowed: the retry policy stopped because the next wait could pass the deadline.
            return attempts < options.MaxAttempts
                ? new TransientArmException(
                    $"{what} failed {attempts} time(s); the last attempt got {last}, and waiting to retry would pass the deployer's timeout of {deadline.Timeout}.",
                    lastReply?.Error, lastReply?.Status, inner)
                : new ArmRetriesExhaustedException($"{what} failed {attempts} time(s); the last attempt got {last}.", lastReply?.Error, lastReply?.Status, inner) { Attempts = attempts };
        }
    }

    /// <summary>
    /// GETs <paramref name="url"/> until <paramref name="finished"/> says so or an answer is not a success
    /// (returned for the caller to judge), waiting the poll interval or ARM's Retry-After in between. A poll whose
    /// retries run out is transient for the whole activity: what it watches is still running.
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
            var delay = PollDelay(hint);
            await Task.Delay(delay < deadline.Remaining ? delay : deadline.Remaining, time, cancellation);
            ArmReply reply;
            try
            {
                reply = await SendAsync(channel, RequestMethod.Get, url, null, deadline, what, cancellation);
            }
            catch (ArmRetriesExhaustedException e)
            {
                // The deployment itself goes on in Azure: the activity's next attempt rejoins it by name, with no PUT.
                throw new TransientArmException($"{e.Message} {stillRunning()}", e.Error, e.Status, e);
            }
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

    /// <summary>The wait before the next poll: the poll interval, or longer when ARM asks for it (at most a minute).</summary>
    private TimeSpan PollDelay(TimeSpan? retryAfter)
    {
        var asked = retryAfter is { } hint ? TimeSpan.FromTicks(Math.Min(hint.Ticks, MaxPollHint.Ticks)) : TimeSpan.Zero;
        return asked > options.PollInterval ? asked : options.PollInterval;
    }

    private static readonly TimeSpan MaxPollHint = TimeSpan.FromMinutes(1);

    private static int Attempts(HttpMessage message) => message.ProcessingContext.RetryNumber + 1;

    /// <summary>The pipeline throws the one exception of a single attempt, or an AggregateException of every attempt's.</summary>
    private static Exception Unwrap(Exception e) => e is AggregateException { InnerExceptions.Count: > 0 } all ? all.InnerExceptions[^1] : e;
}
