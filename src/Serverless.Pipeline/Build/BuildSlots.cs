using Microsoft.Extensions.Options;

namespace Serverless.Pipeline.Build;

/// <summary>
/// How many builds and validations one process runs at once (<see cref="BuildOptions.MaxConcurrentBuilds"/>); the
/// others wait for a turn. With <see cref="SourceOptions.MaxCheckoutBytes"/> this bounds what builds write to disk.
/// </summary>
public sealed class BuildSlots(IOptions<BuildOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentBuilds, options.Value.MaxConcurrentBuilds);

    /// <summary>Waits for a turn; disposing the result ends it.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellation)
    {
        await _slots.WaitAsync(cancellation);
        return new Turn(_slots);
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Turn(SemaphoreSlim slots) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0) slots.Release();
        }
    }
}
