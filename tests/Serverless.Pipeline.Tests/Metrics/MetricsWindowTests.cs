using Serverless.Pipeline.Metrics;

namespace Serverless.Pipeline.Tests.Metrics;

public sealed class MetricsWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("yesterday", null, "from 'yesterday'")]
    [InlineData("2026-02-30", null, "from '2026-02-30'")]
    [InlineData(null, "2026-13-01", "to '2026-13-01'")]
    [InlineData("2026-03-05", "2026-03-01", "after to")]
    [InlineData("2026-03-05", "2026-03-05", "empty")]
    [InlineData("2025-01-01", "2026-03-01", "at most 366 days")]
    [InlineData("1900-01-01", "2026-02-01", "from '1900-01-01'")]
    public void Bad_windows_are_refused_with_a_reason(string? from, string? to, string mention)
    {
        var (window, error) = MetricsWindow.Parse(from, to, Now);

        Assert.Null(window);
        Assert.Contains(mention, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_bounds_default_to_the_last_30_days_and_dates_mean_midnight_UTC()
    {
        Assert.Equal(new MetricsWindow(Now.AddDays(-30), Now), MetricsWindow.Parse(null, null, Now).Window);
        Assert.Equal(new MetricsWindow(new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), Now), MetricsWindow.Parse("2026-03-01", null, Now).Window);
        // An offset is converted to UTC; 366 days exactly is allowed.
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), MetricsWindow.Parse("2026-03-01T12:00:00+02:00", "2026-03-02", Now).Window!.From);
        Assert.NotNull(MetricsWindow.Parse("2025-03-01", "2026-03-02", Now).Window);
    }

    [Fact]
    public void From_is_inclusive_and_to_exclusive()
    {
        var window = new MetricsWindow(new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero));

        Assert.True(window.Contains(window.From));
        Assert.True(window.Contains(window.To.AddTicks(-1)));
        Assert.False(window.Contains(window.To));
        Assert.False(window.Contains(window.From.AddTicks(-1)));
    }

    [Fact]
    public void A_window_reads_whole_days_from_rollups_and_only_its_ragged_edges_raw()
    {
        var from = new DateTimeOffset(2026, 3, 1, 18, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 3, 5, 6, 0, 0, TimeSpan.Zero);

        var plan = new MetricsWindow(from, to).Plan();

        Assert.Equal(new DateOnly(2026, 3, 2), plan.FirstDay);
        Assert.Equal(new DateOnly(2026, 3, 5), plan.EndDay);
        Assert.Equal(3, plan.WholeDays);
        Assert.Equal([(from, new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero)), (new DateTimeOffset(2026, 3, 5, 0, 0, 0, TimeSpan.Zero), to)], plan.Edges);
    }

    [Fact]
    public void A_window_of_whole_days_reads_no_raw_rows_and_one_inside_a_day_reads_only_raw_rows()
    {
        var midnight = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

        var whole = new MetricsWindow(midnight, midnight.AddDays(7)).Plan();
        var inside = new MetricsWindow(midnight.AddHours(20), midnight.AddHours(30)).Plan();

        Assert.Equal(7, whole.WholeDays);
        Assert.Empty(whole.Edges);
        Assert.Equal(0, inside.WholeDays);
        Assert.Equal([(midnight.AddHours(20), midnight.AddDays(1)), (midnight.AddDays(1), midnight.AddHours(30))], inside.Edges);
    }

    [Fact]
    public void Time_keys_put_a_window_in_one_row_key_range()
    {
        var from = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(1);
        var (low, high) = MetricKeys.Range(from, to);

        bool In(DateTimeOffset at)
        {
            var key = MetricKeys.TimeKey(at, "stack.abcdef1");
            return string.CompareOrdinal(key, low) >= 0 && string.CompareOrdinal(key, high) < 0;
        }

        Assert.True(In(from));
        Assert.True(In(to.AddTicks(-1)));
        Assert.False(In(to));
        Assert.False(In(from.AddTicks(-1)));
    }
}
