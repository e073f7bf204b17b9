using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// Deterministic ARM deployment names: <c>pipe-{environment}-{hash}-{attempt}</c>, where the hash is
/// 16 hex digits of SHA-256 over the run id and the environment. The same run, environment and attempt
/// always give the same name, so a replayed or retried activity finds the deployment it started
/// instead of starting another. At most 64 characters of ARM's alphabet (letters, digits, <c>-</c>).
/// </summary>
public static partial class DeploymentName
{
    public const int MaxLength = 64;

    private const string Prefix = "pipe-";
    private const int HashLength = 16;

    /// <param name="runId">The pipeline run.</param>
    /// <param name="environment">The environment (test environment or production instance).</param>
    /// <param name="attempt">Which deliberate attempt (1, 2, ...) at this environment in this run; automatic retries keep theirs.</param>
    public static string For(string runId, string environment, int attempt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(environment);
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{runId}\n{environment}")))[..HashLength];
        var suffix = $"-{hash}-{attempt.ToString(CultureInfo.InvariantCulture)}";
        var readable = Unsafe().Replace(environment.ToLowerInvariant(), "-").Trim('-');
        var room = MaxLength - Prefix.Length - suffix.Length;
        if (readable.Length > room)
            readable = readable[..room].TrimEnd('-');
        return readable.Length == 0 ? $"pipe{suffix}" : $"{Prefix}{readable}{suffix}";
    }

    /// <summary>Whether ARM accepts <paramref name="name"/> as a deployment name: 1 to 64 of letters, digits, <c>-_.()</c>, not ending in a period.</summary>
    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= MaxLength } && Valid().IsMatch(name) && !name.EndsWith('.');

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex Unsafe();

    [GeneratedRegex(@"^[-\w._()]+$")]
    private static partial Regex Valid();
}
