using System.Text.RegularExpressions;

namespace Serverless.Pipeline.Stacks;

/// <summary>Names of stacks and environments: lowercase letters, digits and hyphens, usable in table keys, blob paths and resource group names.</summary>
public static partial class StackName
{
    public const string Rule = "2 to 40 characters: lowercase letters, digits and '-', starting with a letter or digit";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,39}$")]
    private static partial Regex Pattern();
}
