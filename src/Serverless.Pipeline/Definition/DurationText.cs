using System.Globalization;
using System.Text.RegularExpressions;

namespace Serverless.Pipeline.Definition;

/// <summary>
/// Durations as written in delivery.yaml: ISO 8601 (<c>PT4H</c>, <c>P1DT12H</c>, <c>PT30M</c>, <c>P2W</c>)
/// or short forms (<c>4h</c>, <c>30m</c>, <c>2d</c>, <c>45s</c>, <c>1h30m</c>). Years and months are refused: their length varies.
/// </summary>
public static partial class DurationText
{
    public const string Forms = "an ISO 8601 duration such as PT4H or P1D, or a short form such as 4h, 30m, 2d or 1h30m";

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        try
        {
            return TryIso(text, out duration) || TryShort(text, out duration);
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>The short form of a duration: <c>1h30m</c>, <c>2d</c>, <c>45s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero) return "0s";
        var parts = new List<string>();
        if (duration.Days > 0) parts.Add($"{duration.Days}d");
        if (duration.Hours > 0) parts.Add($"{duration.Hours}h");
        if (duration.Minutes > 0) parts.Add($"{duration.Minutes}m");
        if (duration.Seconds > 0) parts.Add($"{duration.Seconds}s");
        return string.Concat(parts);
    }

    private static bool TryIso(string text, out TimeSpan duration)
    {
        duration = default;
        var match = Iso().Match(text);
        if (!match.Success || text is "P" or "PT" || text.EndsWith('T')) return false;
        duration = TimeSpan.FromDays(7 * Number(match, "w") + Number(match, "d"))
            + TimeSpan.FromHours(Number(match, "h"))
            + TimeSpan.FromMinutes(Number(match, "m"))
            + TimeSpan.FromSeconds(Number(match, "s"));
        return true;
    }

    private static bool TryShort(string text, out TimeSpan duration)
    {
        duration = default;
        var match = Short().Match(text);
        if (!match.Success) return false;
        duration = TimeSpan.FromDays(Number(match, "d"))
            + TimeSpan.FromHours(Number(match, "h"))
            + TimeSpan.FromMinutes(Number(match, "m"))
            + TimeSpan.FromSeconds(Number(match, "s"));
        return true;
    }

    private static double Number(Match match, string group) =>
        match.Groups[group].Success ? double.Parse(match.Groups[group].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^P(?:(?<w>\d+)W)?(?:(?<d>\d+)D)?(?:T(?:(?<h>\d+)H)?(?:(?<m>\d+)M)?(?:(?<s>\d+(?:\.\d+)?)S)?)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Iso();

    [GeneratedRegex(@"^(?=\d)(?:(?<d>\d+)d)?(?:(?<h>\d+)h)?(?:(?<m>\d+)m)?(?:(?<s>\d+)s)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Short();
}
