namespace Serverless.Pipeline.Definition;

/// <summary>Collects every problem found in one file; the reader never stops at the first.</summary>
internal sealed class ProblemSink(string file)
{
    private readonly List<DefinitionProblem> problems = [];

    public int Count => problems.Count;

    public void Add(int line, int column, string field, string message) =>
        problems.Add(new DefinitionProblem(file, line, column, field, message));

    public void Add(YamlNode at, string field, string message) => Add(at.Line, at.Column, field, message);

    /// <summary>The problems in the order they appear in the file.</summary>
    public IReadOnlyList<DefinitionProblem> InFileOrder() => [.. problems.OrderBy(p => p.Line).ThenBy(p => p.Column)];
}
