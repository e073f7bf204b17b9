namespace Serverless.Pipeline.Build;

/// <summary>Something that stops a commit from becoming an artifact, with where it is.</summary>
/// <param name="Source">What found it: <c>source</c>, <c>delivery.yaml</c>, <c>bicep</c>, <c>template</c> or <c>parameters</c>.</param>
public sealed record BuildProblem(string Source, string File, int Line, int Column, string? Field, string Message)
{
    public override string ToString() =>
        (Line > 0 ? $"{File}({Line},{Column})" : File) + (Field is { Length: > 0 } ? $": {Field}" : "") + $": {Message}";
}

/// <summary>The build stopped on problems in the stack's source; the full report is in its log blob.</summary>
public sealed class BuildFailedException(IReadOnlyList<BuildProblem> problems, string logBlob)
    : Workflow.PermanentStageFailure(Summarize(problems, logBlob))
{
    public IReadOnlyList<BuildProblem> Problems { get; } = problems;

    private static string Summarize(IReadOnlyList<BuildProblem> problems, string logBlob)
    {
        const int shown = 5;
        var lines = problems.Take(shown).Select(p => p.ToString());
        var more = problems.Count > shown ? $" (and {problems.Count - shown} more)" : "";
        return $"{problems.Count} problem(s){more}: {string.Join(" | ", lines)} [log: {logBlob}]";
    }
}
