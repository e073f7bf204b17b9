namespace Serverless.Pipeline.Metrics;

/// <summary>The DORA software delivery performance levels, best first.</summary>
public enum PerformanceLevel { Elite, High, Medium, Low }

/// <summary>
/// Thresholds from the performance clusters of the 2023 Accelerate State of DevOps report:
/// <list type="table">
/// <item>deployment frequency: elite on demand (multiple deploys a day); high between once a day and once a week; medium between once a week and once a month; (low: the 2023 cluster repeats medium's range, so anything below medium is low here)</item>
/// <item>lead time for changes: elite less than one day; high between one day and one week; medium between one week and one month; (low: the same note; a month or more is low here)</item>
/// <item>change failure rate: elite 5%, high 10%, medium 15%, low 64%: at most 5% is elite, at most 10% high, at most 15% medium, more is low</item>
/// <item>failed deployment recovery time: elite less than one hour; high less than one day; medium between one day and one week; low between one month and six months (a week or more is low here)</item>
/// </list>
/// The clusters are descriptions of survey answers, not cut-offs; these are the cut-offs that follow from them.
/// </summary>
public static class DoraLevels
{
    public const string Source = "2023 Accelerate State of DevOps report (DORA), performance clusters";

    /// <summary>From the average number of production releases per day in the window.</summary>
    public static PerformanceLevel DeploymentFrequency(double releasesPerDay) => releasesPerDay switch
    {
        >= 1 => PerformanceLevel.Elite,
        >= 1 / 7d => PerformanceLevel.High,
        >= 1 / 30d => PerformanceLevel.Medium,
        _ => PerformanceLevel.Low,
    };

    /// <summary>From the median lead time of a commit to the last production instance.</summary>
    public static PerformanceLevel LeadTime(TimeSpan median) => median switch
    {
        _ when median < TimeSpan.FromDays(1) => PerformanceLevel.Elite,
        _ when median < TimeSpan.FromDays(7) => PerformanceLevel.High,
        _ when median < TimeSpan.FromDays(30) => PerformanceLevel.Medium,
        _ => PerformanceLevel.Low,
    };

    /// <summary>From the share (0 to 1) of releases that needed remediation.</summary>
    public static PerformanceLevel ChangeFailureRate(double rate) => rate switch
    {
        <= 0.05 => PerformanceLevel.Elite,
        <= 0.10 => PerformanceLevel.High,
        <= 0.15 => PerformanceLevel.Medium,
        _ => PerformanceLevel.Low,
    };

    /// <summary>From the median time from an incident's opening to its resolution.</summary>
    public static PerformanceLevel TimeToRestore(TimeSpan median) => median switch
    {
        _ when median < TimeSpan.FromHours(1) => PerformanceLevel.Elite,
        _ when median < TimeSpan.FromDays(1) => PerformanceLevel.High,
        _ when median < TimeSpan.FromDays(7) => PerformanceLevel.Medium,
        _ => PerformanceLevel.Low,
    };

    public static string Name(this PerformanceLevel level) => level.ToString().ToLowerInvariant();
}
