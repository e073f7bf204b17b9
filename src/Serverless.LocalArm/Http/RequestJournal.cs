namespace Serverless.LocalArm.Http;

/// <summary>One request the test double answered.</summary>
public sealed record JournalEntry(DateTimeOffset At, string Method, string Path, int Status);

/// <summary>The last requests answered (ARM paths only), for tests that count calls.</summary>
public sealed class RequestJournal
{
    private const int Capacity = 5000;
    private readonly Lock gate = new();
    private readonly Queue<JournalEntry> entries = new();

    public IReadOnlyList<JournalEntry> Snapshot()
    {
        lock (gate)
            return [.. entries];
    }

    internal void Add(JournalEntry entry)
    {
        lock (gate)
        {
            if (entries.Count == Capacity)
                entries.Dequeue();
            entries.Enqueue(entry);
        }
    }

    internal Func<HttpContext, RequestDelegate, Task> Middleware(TimeProvider time) => async (context, next) =>
    {
        var at = time.GetUtcNow();
        try
        {
            await next(context);
        }
        finally
        {
            if (!ControlPaths.IsControl(context.Request.Path))
                Add(new JournalEntry(at, context.Request.Method, context.Request.Path + context.Request.QueryString, context.Response.StatusCode));
        }
    };
}
