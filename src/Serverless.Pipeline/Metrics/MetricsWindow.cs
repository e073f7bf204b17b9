using System.Globalization;

namespace Serverless.Pipeline.Metrics;

/// <summary>
/// The time window of a metrics query: from inclusive, to exclusive (a release at exactly <c>to</c>
/// belongs to the next window, so adjacent windows never count one twice). Times are UTC; a date without
/// a time means its midnight UTC.
/// </summary>
public sealed record MetricsWindow(DateTimeOffset From, DateTimeOffset To)
{
    public const int MaxDays = 366;
    public static readonly TimeSpan DefaultLength = TimeSpan.FromDays(30);

    public TimeSpan Length => To - From;

    public double Days => Length.TotalDays;

    public bool Contains(DateTimeOffset at) => at >= From && at < To;

    /// <summary>Reads <c>from</c> and <c>to</c> from a query: missing <c>to</c> is now, missing <c>from</c> is 30 days before <c>to</c>.</summary>
    public static (MetricsWindow? Window, string? Error) Parse(string? from, string? to, DateTimeOffset now)
    {
        DateTimeOffset end = now, start;
        if (to is not null && !TryParseTime(to, out end))
            return (null, $"to '{to}' is not a date or time: use ISO 8601, e.g. 2026-11-30 or 2026-11-30T12:00:00Z.");
        if (from is null) start = end - DefaultLength;
        else if (!TryParseTime(from, out start))
            return (null, $"from '{from}' is not a date or time: use ISO 8601, e.g. 2026-11-01 or 2026-11-01T00:00:00Z.");
        if (start > end) return (null, $"from ({start:O}) is after to ({end:O}).");
        if (start == end) return (null, "from and to are the same time: the window is empty (from is inclusive, to exclusive).");
        if (end - start > TimeSpan.FromDays(MaxDays)) return (null, $"The window is {(end - start).TotalDays:0.##} days long; it may be at most {MaxDays} days.");
        return (new MetricsWindow(start, end), null);
    }

    public static bool TryParseTime(string text, out DateTimeOffset at)
    {
        at = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 40) return false;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            return false;
        // Table storage keeps times from 1601 on; anything outside these years is a typo.
        if (parsed.Year is < 2000 or > 2200) return false;
        at = parsed.ToUniversalTime();
        return true;
    }

    /// <summary>
    /// How to read the window: whole UTC days from their rollup rows, and the parts of days at its
    /// edges from raw rows. Each edge lies within one UTC day.
    /// </summary>
    public WindowPlan Plan()
    {
        var firstWhole = StartOfDay(From) == From ? StartOfDay(From) : StartOfDay(From).AddDays(1);
        var endWhole = StartOfDay(To);
        var edges = new List<(DateTimeOffset From, DateTimeOffset To)>();
        if (firstWhole < endWhole)
        {
            if (From < firstWhole) edges.Add((From, firstWhole));
            if (endWhole < To) edges.Add((endWhole, To));
            return new WindowPlan(DateOnly.FromDateTime(firstWhole.UtcDateTime), DateOnly.FromDateTime(endWhole.UtcDateTime), edges);
        }
        // No whole day inside: raw rows only, cut at midnight so that each part lies within one day.
        var cut = StartOfDay(From).AddDays(1);
        if (cut < To)
        {
            edges.Add((From, cut));
            edges.Add((cut, To));
        }
        else
        {
            edges.Add((From, To));
        }
        var none = DateOnly.FromDateTime(firstWhole.UtcDateTime);
        return new WindowPlan(none, none, edges);
    }

    public static DateTimeOffset StartOfDay(DateTimeOffset at) => new(at.UtcDateTime.Date, TimeSpan.Zero);

    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
}

/// <summary>Whole days [<see cref="FirstDay"/>, <see cref="EndDay"/>) read from rollups, and the edges read raw.</summary>
public sealed record WindowPlan(DateOnly FirstDay, DateOnly EndDay, IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Edges)
{
    public int WholeDays => EndDay.DayNumber - FirstDay.DayNumber;
}
