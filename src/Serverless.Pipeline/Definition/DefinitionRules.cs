using System.Text.RegularExpressions;

namespace Serverless.Pipeline.Definition;

/// <summary>The rules single values of delivery.yaml follow, each returning the reason a value breaks it (null when it is fine).</summary>
internal static partial class DefinitionRules
{
    /// <summary>A file inside the stack: relative, '/' separators, never leaving the stack root. Returns the path without a leading "./".</summary>
    public static string? StackFile(string path, IReadOnlyCollection<string> extensions, out string normalized)
    {
        var relative = path;
        while (relative.StartsWith("./", StringComparison.Ordinal)) relative = relative[2..];
        normalized = relative;
        if (path.Contains('\\', StringComparison.Ordinal)) return $"'{path}' uses '\\'; separate folders with '/'.";
        if (path.StartsWith('/') || Path.IsPathRooted(path) || path.Contains(':', StringComparison.Ordinal))
            return $"'{path}' is not a path relative to the stack root.";
        if (relative.Split('/').Any(s => s is "" or "." or ".."))
            return $"'{path}' must stay inside the stack root ('..', '.' and empty segments are not allowed).";
        if (!extensions.Any(e => relative.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            return $"'{path}' must be a {string.Join(" or ", extensions)} file.";
        return null;
    }

    public static string? Subscription(string value, out string normalized)
    {
        normalized = value;
        if (!Guid.TryParseExact(value, "D", out var id)) return $"'{value}' is not a subscription id; write a GUID such as 00000000-0000-0000-0000-000000000000.";
        normalized = id.ToString("D");
        return null;
    }

    public static string? ResourceGroup(string value) =>
        value.Length <= 90 && ResourceGroupPattern().IsMatch(value) && !value.EndsWith('.')
            ? null
            : $"'{value}' is not a resource group name: 1 to 90 letters, digits, '-', '_', '.', '(' or ')', not ending with '.'.";

    public static string? Location(string value) =>
        LocationPattern().IsMatch(value)
            ? null
            : $"'{value}' is not an Azure region name; write it as lowercase letters and digits, such as westeurope or eastus2.";

    public static string? HttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? null
            : $"'{value}' is not an absolute http or https URL.";

    public static string? OutputName(string value) =>
        OutputPattern().IsMatch(value)
            ? null
            : $"'{value}' is not a deployment output name (letters, digits and '_', not starting with a digit).";

    public static string? LintRule(string value) =>
        value == LintPolicy.AllRules || LintRulePattern().IsMatch(value)
            ? null
            : $"'{value}' is not a Bicep lint rule id (such as no-unused-params) nor '{LintPolicy.AllRules}'.";

    [GeneratedRegex(@"^[-\w._()]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceGroupPattern();

    [GeneratedRegex("^[a-z][a-z0-9]{1,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex LocationPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex OutputPattern();

    [GeneratedRegex("^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex LintRulePattern();
}
