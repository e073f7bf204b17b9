using System.Text.RegularExpressions;

namespace Serverless.Pipeline.Runs;

/// <summary>
/// A git commit id. A run is always made from the full 40 hexadecimal characters (lowercase); a person may give a
/// shortened id (7 or more characters), which is resolved against the stack's repository before anything starts.
/// </summary>
public static partial class CommitId
{
    public const int FullLength = 40;
    public const string Rule = "7 to 40 hexadecimal characters";
    public const string FullRule = "the full commit id: 40 hexadecimal characters";

    /// <summary>A full or shortened commit id, as a person may give it.</summary>
    public static bool IsValid(string? commit) => commit is not null && Pattern().IsMatch(commit);

    /// <summary>A full commit id, the only form a run, a push and a record use.</summary>
    public static bool IsFull(string? commit) => IsValid(commit) && commit!.Length == FullLength;

    /// <summary>The all-zero id git uses for "no commit" (a push that creates or deletes a branch).</summary>
    public static bool IsZero(string commit) => commit.All(c => c == '0');

    public static string Normalize(string commit) => commit.ToLowerInvariant();

    [GeneratedRegex("^[0-9a-fA-F]{7,40}$")]
    private static partial Regex Pattern();
}
