namespace Serverless.Pipeline.Definition;

/// <summary>An HTTP request that must answer with the expected status.</summary>
/// <param name="Name">The probe's name, unique in the file.</param>
/// <param name="Url">The absolute URL to request; exactly one of <paramref name="Url"/> and <paramref name="Output"/> is set.</param>
/// <param name="Output">The name of the deployment output that holds the URL.</param>
/// <param name="ExpectedStatus">The HTTP status code that passes.</param>
/// <param name="Timeout">How long one attempt may take.</param>
/// <param name="Retries">How many more attempts are made after a failed one.</param>
public sealed record HttpProbe(
    string Name,
    string? Url,
    string? Output,
    int ExpectedStatus,
    TimeSpan Timeout,
    int Retries);
