namespace Serverless.Pipeline.Tests.Definition;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("PT4H", 4 * 60)]
    [InlineData("pt30m", 30)]
    [InlineData("P1D", 24 * 60)]
    [InlineData("P1DT12H", 36 * 60)]
    [InlineData("PT1H30M", 90)]
    [InlineData("P2W", 14 * 24 * 60)]
    [InlineData("PT90S", 1.5)]
    [InlineData("4h", 4 * 60)]
    [InlineData("30m", 30)]
    [InlineData("2d", 2 * 24 * 60)]
    [InlineData("45s", 0.75)]
    [InlineData("1h30m", 90)]
    [InlineData(" 2H ", 120)]
    public void Iso_8601_and_short_forms_are_accepted(string text, double minutes)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMinutes(minutes), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1DT")]
    [InlineData("P1Y")]
    [InlineData("P1M")]
    [InlineData("4 hours")]
    [InlineData("30m1h")]
    [InlineData("-4h")]
    [InlineData("h")]
    [InlineData("99999999999999999999d")]
    public void Anything_else_is_refused(string text) =>
        Assert.False(DurationText.TryParse(text, out _));

    [Fact]
    public void A_duration_in_the_file_is_read_in_either_form()
    {
        var iso = DeliveryYaml.Parse("delivery.yaml", ProblemReportingTests.Valid.Replace("timeout: 4h", "timeout: PT2H30M", StringComparison.Ordinal));
        var days = DeliveryYaml.Parse("delivery.yaml", ProblemReportingTests.Valid.Replace("timeout: 4h", "timeout: 2d", StringComparison.Ordinal));

        Assert.Equal(TimeSpan.FromMinutes(150), iso.Definition!.Approval.Timeout);
        Assert.Equal(TimeSpan.FromDays(2), days.Definition!.Approval.Timeout);
    }
}
