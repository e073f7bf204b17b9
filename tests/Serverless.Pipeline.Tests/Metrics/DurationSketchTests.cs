using Serverless.Pipeline.Metrics;

namespace Serverless.Pipeline.Tests.Metrics;

public sealed class DurationSketchTests
{
    [Theory]
    // Nearest rank: the value at rank ⌈p·n⌉ of the sorted values.
    [InlineData(new double[] { 10 }, 0.5, 10)]
    [InlineData(new double[] { 10 }, 0.9, 10)]
    [InlineData(new double[] { 10, 20 }, 0.5, 10)]          // ⌈1.0⌉ = 1st
    [InlineData(new double[] { 10, 20 }, 0.9, 20)]          // ⌈1.8⌉ = 2nd
    [InlineData(new double[] { 30, 10, 20 }, 0.5, 20)]      // ⌈1.5⌉ = 2nd
    [InlineData(new double[] { 30, 10, 20 }, 0.9, 30)]      // ⌈2.7⌉ = 3rd
    [InlineData(new double[] { 1, 2, 3, 4, 5 }, 0.9, 5)]    // ⌈4.5⌉ = 5th
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 0.9, 9)]      // ⌈9.0⌉ = 9th, not pushed to 10 by rounding
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }, 0.9, 10)] // ⌈9.9⌉ = 10th
    [InlineData(new double[] { 4, 1, 3, 2 }, 0.5, 2)]       // ⌈2.0⌉ = 2nd: no averaging of the middle two
    public void Percentiles_use_the_nearest_rank_on_small_samples(double[] values, double p, double expected)
    {
        Assert.Equal(expected, DurationSketch.Of(values).Quantile(p));
        Assert.Equal(expected, Percentiles.Of(values, p));
    }

    [Fact]
    public void An_empty_sketch_has_no_percentiles_and_no_mean()
    {
        var sketch = new DurationSketch();
        Assert.Null(sketch.Median);
        Assert.Null(sketch.MeanSeconds);
        Assert.Equal(0, sketch.Count);
    }

    [Fact]
    public void Values_are_whole_seconds_and_negative_durations_count_as_zero()
    {
        var sketch = DurationSketch.Of([1.4, 1.5, -3]);
        Assert.Equal(3, sketch.Count);
        Assert.Equal(3, sketch.SumSeconds); // 1 + 2 + 0
        Assert.Equal(0, sketch.Quantile(0));
    }

    [Fact]
    public void Beyond_the_exact_limit_percentiles_stay_within_the_relative_accuracy()
    {
        var values = Enumerable.Range(1, 10_000).Select(i => (double)i * 37).ToArray();
        var sketch = DurationSketch.Of(values);

        Assert.False(sketch.IsExact);
        Assert.Equal(10_000, sketch.Count);
        Assert.Equal((long)values.Sum(), sketch.SumSeconds);
        foreach (var p in new[] { 0.5, 0.9, 0.99 })
        {
            var exact = Percentiles.Of(values, p)!.Value;
            Assert.InRange(sketch.Quantile(p)!.Value, exact * (1 - DurationSketch.RelativeAccuracy), exact * (1 + DurationSketch.RelativeAccuracy));
        }
    }

    [Fact]
    public void Merging_gives_the_sketch_of_the_union_in_any_order()
    {
        var a = Enumerable.Range(1, 100).Select(i => i * 60d).ToArray();
        var b = Enumerable.Range(1, 100).Select(i => i * 61d + 7).ToArray();
        var ab = DurationSketch.Of(a);
        ab.Merge(DurationSketch.Of(b));
        var ba = DurationSketch.Of(b);
        ba.Merge(DurationSketch.Of(a));

        Assert.Equal(DurationSketch.Of(a.Concat(b)).ToString(), ab.ToString());
        Assert.Equal(ab.ToString(), ba.ToString());
    }

    [Theory]
    [InlineData(5)]
    [InlineData(5000)]
    public void The_text_form_reads_back_the_same(int n)
    {
        var sketch = DurationSketch.Of(Enumerable.Range(0, n).Select(i => i * 13.0));
        var back = DurationSketch.Parse(sketch.ToString());

        Assert.Equal(sketch.ToString(), back.ToString());
        Assert.Equal(sketch.Count, back.Count);
        Assert.Equal(sketch.P90, back.P90);
        Assert.True(sketch.ToString().Length < 16_000);
    }
}
