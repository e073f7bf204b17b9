namespace Serverless.Pipeline.Definition;

/// <summary>
/// One problem found in a <c>delivery.yaml</c>. <paramref name="Line"/> and <paramref name="Column"/> are 1-based;
/// <paramref name="Field"/> is the path of the field, such as <c>stages[1].environments[0].subscription</c>
/// (empty for the document as a whole).
/// </summary>
public sealed record DefinitionProblem(string File, int Line, int Column, string Field, string Message)
{
    /// <summary>The compiler-style form: <c>delivery.yaml(12,7): stages[1].environments[0].subscription: message</c>.</summary>
    public override string ToString() =>
        Field.Length == 0 ? $"{File}({Line},{Column}): {Message}" : $"{File}({Line},{Column}): {Field}: {Message}";
}
