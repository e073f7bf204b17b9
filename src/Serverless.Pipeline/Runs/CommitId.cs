using System.Text.RegularExpressions;

namespace Serverless.Pipeline.Runs;

/// <summary>A git commit id as given by a user or a push event: 7 to 40 hexadecimal characters.</summary>
public static partial class CommitId
{
    public const string Rule = "7 to 40 hexadecimal characters";

    public static bool IsValid(string? commit) => commit is not null && Pattern().IsMatch(commit);

    public static string Normalize(string commit) => commit.ToLowerInvariant();

    [GeneratedRegex("^[0-9a-fA-F]{7,40}$")]
    private static partial Regex Pattern();
}
