using Serverless.Pipeline.Deploy;

namespace Serverless.Pipeline.Tests.Deploy;

[Collection(AzuriteCollection.Name)]
public sealed class EnvironmentLocksTests(AzuriteFixture azurite)
{
    private readonly PipelineTables _tables = new(azurite.Tables, AzuriteFixture.IsolatedOptions());
    private EnvironmentLocks Locks => new(_tables);
    private readonly DateTimeOffset _t0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Runs_take_a_target_one_at_a_time_first_in_first_out()
    {
        var target = EnvironmentLocks.TargetKey("sub", "rg-a");

        Assert.True(await Locks.TryAcquireAsync(target, "run-1", _t0));
        Assert.False(await Locks.TryAcquireAsync(target, "run-3", _t0.AddSeconds(2)));
        Assert.False(await Locks.TryAcquireAsync(target, "run-2", _t0.AddSeconds(1)));
        Assert.True(await Locks.TryAcquireAsync(target, "run-1", _t0)); // Asking again while holding: still held.

        await Locks.ReleaseAsync(target, "run-1", _t0);
        Assert.False(await Locks.TryAcquireAsync(target, "run-3", _t0.AddSeconds(2))); // Not its turn: run-2 asked first.
        Assert.True(await Locks.TryAcquireAsync(target, "run-2", _t0.AddSeconds(1)));

        await Locks.ReleaseAsync(target, "run-2", _t0.AddSeconds(1));
        Assert.True(await Locks.TryAcquireAsync(target, "run-3", _t0.AddSeconds(2)));
        Assert.Equal("run-3", await StoredRows.LockHolderAsync(_tables, target));
    }

    [Fact]
    public async Task A_run_that_leaves_the_queue_does_not_block_the_ones_after_it()
    {
        var target = EnvironmentLocks.TargetKey("sub", "rg-b");
        Assert.True(await Locks.TryAcquireAsync(target, "run-1", _t0));
        Assert.False(await Locks.TryAcquireAsync(target, "run-2", _t0.AddSeconds(1)));
        Assert.False(await Locks.TryAcquireAsync(target, "run-3", _t0.AddSeconds(2)));

        await Locks.ReleaseAsync(target, "run-2", _t0.AddSeconds(1)); // Superseded while waiting.
        await Locks.ReleaseAsync(target, "run-1", _t0);

        Assert.True(await Locks.TryAcquireAsync(target, "run-3", _t0.AddSeconds(2)));
    }

    [Fact]
    public async Task Concurrent_runs_never_hold_a_target_together()
    {
        var target = EnvironmentLocks.TargetKey("sub", "rg-c");
        var runs = Enumerable.Range(0, 12).Select(i => (Id: $"run-{i:D2}", At: _t0.AddMilliseconds(i))).ToList();
        var holders = 0;
        var maxHolders = 0;
        var order = new List<string>();

        await Task.WhenAll(runs.Select(async run =>
        {
            while (!await Locks.TryAcquireAsync(target, run.Id, run.At)) await Task.Delay(20);
            var now = Interlocked.Increment(ref holders);
            lock (order)
            {
                maxHolders = Math.Max(maxHolders, now);
                order.Add(run.Id);
            }
            await Task.Delay(10);
            Interlocked.Decrement(ref holders);
            await Locks.ReleaseAsync(target, run.Id, run.At);
        }));

        Assert.Equal(1, maxHolders);
        Assert.Equal(12, order.Count);
    }

    [Fact]
    public async Task Releasing_twice_or_without_holding_is_harmless()
    {
        var target = EnvironmentLocks.TargetKey("sub", "rg-d");
        await Locks.ReleaseAsync(target, "nobody", _t0);
        Assert.True(await Locks.TryAcquireAsync(target, "run-1", _t0));
        await Locks.ReleaseAsync(target, "run-2", _t0);
        Assert.Equal("run-1", await StoredRows.LockHolderAsync(_tables, target));
        await Locks.ReleaseAsync(target, "run-1", _t0);
        await Locks.ReleaseAsync(target, "run-1", _t0);
        Assert.Null(await StoredRows.LockHolderAsync(_tables, target));
    }
}
