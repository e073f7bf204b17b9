namespace Serverless.Tests.Shared;

/// <summary>The one polling loop of the tests that drive a host: read until a condition holds, or fail with the last value read.</summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, Func<T, string> describe, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        T value;
        do
        {
            value = await read();
            if (done(value)) return value;
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(250));
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException(describe(value));
    }
}
