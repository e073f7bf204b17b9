namespace Serverless.Pipeline.Triggers;

/// <summary>
/// Lets one start of a run at a time proceed in this process, so that concurrent deliveries of the same push find the
/// run the first one started instead of racing to schedule it. Across processes the engine's de-duplication of
/// start messages and <see cref="Runs.RunStarter"/>'s check still hold; this only keeps the answers exact.
/// </summary>
public sealed class RunStartGate
{
    private const int Stripes = 64;
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<T> RunAsync<T>(string key, Func<Task<T>> action, CancellationToken cancellation)
    {
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(key) % Stripes];
        await stripe.WaitAsync(cancellation);
        try
        {
            return await action();
        }
        finally
        {
            stripe.Release();
        }
    }
}
