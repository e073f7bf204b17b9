namespace Serverless.Pipeline.Metrics;

/// <summary>
/// Percentiles by the nearest-rank method: the p-th percentile of n ordered values is the value at
/// rank ⌈p·n⌉ (counting from 1, and at least 1). Every answer is an observed value, the method needs no
/// interpolation (so it reads the same from raw values and from a sketch), and on small samples it is
/// simple to compute by hand: the p90 of 5 values is the 5th (⌈4.5⌉), of 10 values the 9th, of 11 the 10th;
/// the median of 4 values is the 2nd (⌈2⌉), not the mean of the 2nd and 3rd.
/// </summary>
public static class Percentiles
{
    /// <summary>The 1-based rank of the p-th percentile among n values.</summary>
    public static long NearestRank(double p, long n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), "There are no values.");
        // A small tolerance so that p·n that is whole in decimal (0.9·10) is not pushed up by binary rounding.
        var rank = (long)Math.Ceiling(p * n - 1e-9);
        return Math.Clamp(rank, 1, n);
    }

    /// <summary>The nearest-rank percentile of values, or null when there are none.</summary>
    public static double? Of(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? null : sorted[NearestRank(p, sorted.Length) - 1];
    }
}
