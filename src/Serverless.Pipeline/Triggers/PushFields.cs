using Serverless.Pipeline.Runs;

namespace Serverless.Pipeline.Triggers;

/// <summary>Checks shared by the push schemas.</summary>
internal static class PushFields
{
    public const int MaxRefLength = 400;

    public static void CheckRef(string? gitRef, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(gitRef)) errors[field] = ["The ref is required, such as 'refs/heads/main'."];
        else if (!gitRef.StartsWith("refs/", StringComparison.Ordinal) || gitRef.Length > MaxRefLength || gitRef.Any(char.IsWhiteSpace))
            errors[field] = [$"'{Shorten(gitRef)}' is not a full git ref such as 'refs/heads/main'."];
    }

    public static void CheckCommitId(string? id, string field, bool required, Dictionary<string, string[]> errors)
    {
        if (id is null)
        {
            if (required) errors[field] = ["The commit id is required."];
        }
        else if (!CommitId.IsFull(id))
        {
            errors[field] = [$"'{Shorten(id)}' is not a commit id: it must be {CommitId.FullRule}."];
        }
    }

    /// <summary>Every path a commit touched, or null when the event listed none of added, modified and removed.</summary>
    public static IReadOnlyList<string>? PathsOf(List<string>? added, List<string>? modified, List<string>? removed)
    {
        if (added is null && modified is null && removed is null) return null;
        return [.. (added ?? []).Concat(modified ?? []).Concat(removed ?? []).OfType<string>().Distinct(StringComparer.Ordinal)];
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
