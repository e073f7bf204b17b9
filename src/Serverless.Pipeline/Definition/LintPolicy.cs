namespace Serverless.Pipeline.Definition;

/// <summary>Which Bicep lint rules fail the build; diagnostics of other rules are reported but do not fail it.</summary>
/// <param name="FailOn">Rule ids such as <c>no-unused-params</c>, or <c>*</c> for every rule.</param>
public sealed record LintPolicy(IReadOnlyList<string> FailOn)
{
    public const string AllRules = "*";

    public static LintPolicy None { get; } = new([]);

    /// <summary>Whether a diagnostic of that rule fails the build.</summary>
    public bool Fails(string ruleId) => FailOn.Contains(AllRules) || FailOn.Contains(ruleId, StringComparer.Ordinal);
}
