using System.Globalization;
using System.Text;

namespace Serverless.Pipeline.Metrics;

/// <summary>
/// A mergeable summary of durations in whole seconds, from which the count, the sum, the mean and
/// nearest-rank percentiles are read. It keeps every distinct value exactly while there are at most
/// <see cref="ExactLimit"/> of them (so small samples give exact answers), and beyond that switches to
/// logarithmic buckets with a relative accuracy of <see cref="RelativeAccuracy"/> (as DDSketch does), so
/// a day's rollup stays a few kilobytes however many changes it holds. Merging is exact: the sketch of
/// a union is the merge of the sketches, in any order. The count and the sum are always exact.
/// </summary>
public sealed class DurationSketch
{
    /// <summary>Distinct values kept exactly before the sketch switches to buckets.</summary>
    public const int ExactLimit = 128;

    /// <summary>The largest relative error of a percentile read from buckets.</summary>
    public const double RelativeAccuracy = 0.01;

    private static readonly double Gamma = (1 + RelativeAccuracy) / (1 - RelativeAccuracy);
    private static readonly double LogGamma = Math.Log(Gamma);

    // Exact mode: value → count. Bucket mode: bucket index → count, with zero durations apart.
    private SortedDictionary<long, long>? _exact = [];
    private SortedDictionary<int, long>? _buckets;
    private long _zeros;

    /// <summary>How many durations were added.</summary>
    public long Count { get; private set; }

    /// <summary>The sum of the durations, in whole seconds.</summary>
    public long SumSeconds { get; private set; }

    /// <summary>True while every distinct value is kept, so percentiles are exact.</summary>
    public bool IsExact => _exact is not null;

    public double? MeanSeconds => Count == 0 ? null : (double)SumSeconds / Count;

    /// <summary>Adds a duration, rounded to whole seconds; negative durations count as zero.</summary>
    public void Add(double seconds, long count = 1) => AddWhole(ToWholeSeconds(seconds), count);

    public void Add(TimeSpan duration) => Add(duration.TotalSeconds);

    public static long ToWholeSeconds(double seconds) =>
        double.IsNaN(seconds) || seconds <= 0 ? 0 : (long)Math.Round(Math.Min(seconds, long.MaxValue / 4d), MidpointRounding.AwayFromZero);

    /// <summary>Adds every duration of another sketch to this one.</summary>
    public void Merge(DurationSketch other)
    {
        if (other.Count == 0) return;
        if (_exact is not null && other._exact is not null)
        {
            foreach (var (value, count) in other._exact) AddWhole(value, count);
            return;
        }
        ToBuckets();
        if (other._exact is not null)
        {
            foreach (var (value, count) in other._exact) AddWhole(value, count);
            return;
        }
        _zeros += other._zeros;
        foreach (var (index, count) in other._buckets!)
            _buckets![index] = _buckets.GetValueOrDefault(index) + count;
        Count += other.Count;
        SumSeconds += other.SumSeconds;
    }

    public static DurationSketch Of(IEnumerable<double> seconds)
    {
        var sketch = new DurationSketch();
        foreach (var s in seconds) sketch.Add(s);
        return sketch;
    }

    public DurationSketch Clone()
    {
        var copy = new DurationSketch();
        copy.Merge(this);
        return copy;
    }

    /// <summary>
    /// The nearest-rank percentile: the smallest value v such that at least p·n of the n durations are ≤ v,
    /// that is the value at rank ⌈p·n⌉ (at least 1) in ascending order. Null when the sketch is empty.
    /// In bucket mode the value is the bucket's midpoint, within <see cref="RelativeAccuracy"/> of the true one.
    /// </summary>
    public double? Quantile(double p)
    {
        if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p), "A quantile is between 0 and 1.");
        if (Count == 0) return null;
        var rank = Percentiles.NearestRank(p, Count);
        long seen = 0;
        if (_exact is not null)
        {
            foreach (var (value, count) in _exact)
            {
                seen += count;
                if (seen >= rank) return value;
            }
            return _exact.Keys.Last();
        }
        seen = _zeros;
        if (seen >= rank) return 0;
        foreach (var (index, count) in _buckets!)
        {
            seen += count;
            if (seen >= rank) return BucketValue(index);
        }
        return BucketValue(_buckets.Keys.Last());
    }

    public double? Median => Quantile(0.5);

    public double? P90 => Quantile(0.9);

    /// <summary>A compact text form for a table column: <c>E|sum|value:count,…</c> or <c>B|sum|zeros|bucket:count,…</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (_exact is not null)
        {
            text.Append("E|").Append(SumSeconds.ToString(CultureInfo.InvariantCulture)).Append('|');
            AppendPairs(text, _exact.Select(e => (e.Key, e.Value)));
        }
        else
        {
            text.Append("B|").Append(SumSeconds.ToString(CultureInfo.InvariantCulture)).Append('|')
                .Append(_zeros.ToString(CultureInfo.InvariantCulture)).Append('|');
            AppendPairs(text, _buckets!.Select(e => ((long)e.Key, e.Value)));
        }
        return text.ToString();
    }

    /// <summary>Reads the text form; an empty or missing text is an empty sketch.</summary>
    public static DurationSketch Parse(string? text)
    {
        var sketch = new DurationSketch();
        if (string.IsNullOrEmpty(text)) return sketch;
        var parts = text.Split('|');
        var sum = long.Parse(parts[1], CultureInfo.InvariantCulture);
        if (parts[0] == "E")
        {
            foreach (var (value, count) in ReadPairs(parts[2])) sketch.AddWhole(value, count);
        }
        else if (parts[0] == "B")
        {
            sketch.ToBuckets();
            sketch._zeros = long.Parse(parts[2], CultureInfo.InvariantCulture);
            sketch.Count = sketch._zeros;
            foreach (var (index, count) in ReadPairs(parts[3]))
            {
                sketch._buckets![(int)index] = count;
                sketch.Count += count;
            }
        }
        else
        {
            throw new FormatException($"'{parts[0]}' is not a duration sketch kind.");
        }
        sketch.SumSeconds = sum;
        return sketch;
    }

    private void AddWhole(long value, long count)
    {
        if (count <= 0) return;
        Count += count;
        SumSeconds += value * count;
        if (_exact is not null)
        {
            _exact[value] = _exact.GetValueOrDefault(value) + count;
            if (_exact.Count > ExactLimit) ToBuckets();
            return;
        }
        AddToBucket(value, count);
    }

    private void ToBuckets()
    {
        if (_exact is null) return;
        var values = _exact;
        _exact = null;
        _buckets = [];
        foreach (var (value, count) in values) AddToBucket(value, count);
    }

    private void AddToBucket(long value, long count)
    {
        if (value == 0)
        {
            _zeros += count;
            return;
        }
        var index = BucketIndex(value);
        _buckets![index] = _buckets.GetValueOrDefault(index) + count;
    }

    private static int BucketIndex(long value) => (int)Math.Ceiling(Math.Log(value) / LogGamma - 1e-9);

    private static double BucketValue(int index) => 2 * Math.Pow(Gamma, index) / (Gamma + 1);

    private static void AppendPairs(StringBuilder text, IEnumerable<(long Key, long Count)> pairs)
    {
        var first = true;
        foreach (var (key, count) in pairs)
        {
            if (!first) text.Append(',');
            first = false;
            text.Append(key.ToString(CultureInfo.InvariantCulture)).Append(':').Append(count.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static IEnumerable<(long Key, long Count)> ReadPairs(string text)
    {
        if (text.Length == 0) yield break;
        foreach (var pair in text.Split(','))
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            yield return (long.Parse(pair.AsSpan(0, colon), CultureInfo.InvariantCulture), long.Parse(pair.AsSpan(colon + 1), CultureInfo.InvariantCulture));
        }
    }
}
