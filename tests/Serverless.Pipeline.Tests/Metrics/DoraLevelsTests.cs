using Serverless.Pipeline.Metrics;

namespace Serverless.Pipeline.Tests.Metrics;

public sealed class DoraLevelsTests
{
    [Theory]
    [InlineData(3.0, PerformanceLevel.Elite)]
    [InlineData(1.0, PerformanceLevel.Elite)]
    [InlineData(0.5, PerformanceLevel.High)]
    [InlineData(1 / 7d, PerformanceLevel.High)]
    [InlineData(1 / 8d, PerformanceLevel.Medium)]
    [InlineData(1 / 30d, PerformanceLevel.Medium)]
    [InlineData(1 / 31d, PerformanceLevel.Low)]
    [InlineData(0.0, PerformanceLevel.Low)]
    public void Deployment_frequency(double perDay, PerformanceLevel expected) =>
        Assert.Equal(expected, DoraLevels.DeploymentFrequency(perDay));

    [Theory]
    [InlineData(23.9, PerformanceLevel.Elite)]
    [InlineData(24, PerformanceLevel.High)]
    [InlineData(24 * 7 - 1, PerformanceLevel.High)]
    [InlineData(24 * 7, PerformanceLevel.Medium)]
    [InlineData(24 * 30, PerformanceLevel.Low)]
    public void Lead_time(double hours, PerformanceLevel expected) =>
        Assert.Equal(expected, DoraLevels.LeadTime(TimeSpan.FromHours(hours)));

    [Theory]
    [InlineData(0.0, PerformanceLevel.Elite)]
    [InlineData(0.05, PerformanceLevel.Elite)]
    [InlineData(0.06, PerformanceLevel.High)]
    [InlineData(0.10, PerformanceLevel.High)]
    [InlineData(0.15, PerformanceLevel.Medium)]
    [InlineData(0.16, PerformanceLevel.Low)]
    public void Change_failure_rate(double rate, PerformanceLevel expected) =>
        Assert.Equal(expected, DoraLevels.ChangeFailureRate(rate));

    [Theory]
    [InlineData(59, PerformanceLevel.Elite)]
    [InlineData(60, PerformanceLevel.High)]
    [InlineData(24 * 60, PerformanceLevel.Medium)]
    [InlineData(7 * 24 * 60, PerformanceLevel.Low)]
    public void Time_to_restore(double minutes, PerformanceLevel expected) =>
        Assert.Equal(expected, DoraLevels.TimeToRestore(TimeSpan.FromMinutes(minutes)));
}
