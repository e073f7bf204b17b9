using System.Text.RegularExpressions;
using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Runs;

/// <summary>
/// A run is identified by its stack and full commit id, so a duplicate delivery of the same change
/// finds the run it already started instead of starting another. It is also the orchestration instance id.
/// A run that delivers a commit again on purpose (a rollback) carries a label: <c>{stack}.{commit}.{label}</c>.
/// </summary>
public readonly partial record struct RunId(string Stack, string Commit, string? Label = null)
{
    private const char Separator = '.';

    public override string ToString() => Label is null ? $"{Stack}{Separator}{Commit}" : $"{Stack}{Separator}{Commit}{Separator}{Label}";

    /// <summary>The run's row key in its stack's partition: the commit, and the label if any.</summary>
    public string Key => Label is null ? Commit : $"{Commit}{Separator}{Label}";

    /// <summary>The run of a full commit id (<see cref="CommitId.IsFull"/>): a shortened id is resolved before a run is made.</summary>
    public static RunId For(string stack, string commit, string? label = null) =>
        CommitId.IsFull(commit) ? new(stack, CommitId.Normalize(commit), label) : throw new ArgumentException($"'{commit}' is not {CommitId.FullRule}.", nameof(commit));

    /// <summary>A run id the pipeline made itself (the orchestration's own); anything else is a bug.</summary>
    public static RunId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a run id ({{stack}}.{{full commit}}[.{{label}}]).");

    public static bool TryParse(string? text, out RunId id)
    {
        id = default;
        var parts = text?.Split(Separator);
        if (parts is null || parts.Length is < 2 or > 3) return false;
        var (stack, commit, label) = (parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
        if (!StackName.IsValid(stack) || !CommitId.IsFull(commit) || commit != CommitId.Normalize(commit)) return false;
        if (label is not null && !LabelPattern().IsMatch(label)) return false;
        id = new RunId(stack, commit, label);
        return true;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex LabelPattern();
}
