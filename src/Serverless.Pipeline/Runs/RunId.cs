using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Runs;

/// <summary>
/// A run is identified by its stack and commit, so a duplicate delivery of the same change
/// finds the run it already started instead of starting another. It is also the orchestration instance id.
/// </summary>
public readonly record struct RunId(string Stack, string Commit)
{
    private const char Separator = '.';

    public override string ToString() => $"{Stack}{Separator}{Commit}";

    public static RunId For(string stack, string commit) => new(stack, CommitId.Normalize(commit));

    public static bool TryParse(string? text, out RunId id)
    {
        id = default;
        var dot = text?.IndexOf(Separator) ?? -1;
        if (dot <= 0) return false;
        var stack = text![..dot];
        var commit = text[(dot + 1)..];
        if (!StackName.IsValid(stack) || !CommitId.IsValid(commit) || commit != CommitId.Normalize(commit)) return false;
        id = new RunId(stack, commit);
        return true;
    }
}
