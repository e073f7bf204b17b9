using System.Net.Security;
using System.Security.Authentication;
using Azure;
using Azure.Identity;

namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// Which ARM failures are worth retrying. Transient: 408, 429, 5xx (but 501/505), the network, and a
/// 409 whose code is a known passing conflict (<see cref="TransientConflictCodes"/>). Everything else
/// (400 invalid template, 401/403, 404, other 409s) is permanent: retrying cannot fix it.
/// </summary>
public static class ArmFailures
{
    /// <summary>409 codes that go away by themselves: another operation on the same scope is still running.</summary>
    public static readonly IReadOnlySet<string> TransientConflictCodes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "AnotherOperationInProgress", "OperationInProgress", "ResourceGroupBeingDeleted", "RetryableError",
    };

    /// <summary>Codes inside a failed deployment that mean "try again" rather than "fix the template".</summary>
    public static readonly IReadOnlySet<string> TransientDeploymentCodes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "InternalServerError", "InternalError", "ServiceUnavailable", "GatewayTimeout", "RequestTimeout", "TooManyRequests",
        "RetryableError", "AnotherOperationInProgress", "OperationInProgress",
    };

    public static bool IsTransientStatus(int status, string? errorCode) => status switch
    {
        408 or 429 => true,
        501 or 505 => false,
        >= 500 and < 600 => true,
        409 => errorCode is not null && TransientConflictCodes.Contains(errorCode),
        _ => false,
    };

    internal static bool IsTransient(ArmReply reply) => IsTransientStatus(reply.Status, reply.Error?.Code);

    /// <summary>True when every cause of a failed deployment is a passing one (throttling, a service hiccup).</summary>
    public static bool IsTransient(ArmError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Leaves().All(leaf => TransientDeploymentCodes.Contains(leaf.Code));
    }

    /// <summary>A failure to get an answer at all: the connection, a timeout, or a token that could not be had for now.</summary>
    internal static bool IsNetworkFailure(Exception e, CancellationToken cancellation) => e switch
    {
        _ when IsCertificateFailure(e) => false,
        CredentialUnavailableException => false,
        AuthenticationFailedException => true,
        OperationCanceledException => !cancellation.IsCancellationRequested,
        RequestFailedException { Status: 0 } or HttpRequestException or IOException => true,
        _ => false,
    };

    /// <summary>The server's TLS certificate was refused (with the test double: the wrong PEM file).</summary>
    internal static bool IsCertificateFailure(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException || inner is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError })
                return true;
        }
        return false;
    }
}
