namespace Serverless.Pipeline.Definition;

/// <summary>The outcome of reading a <c>delivery.yaml</c>: the definition when the file has no problem, else every problem found.</summary>
public sealed record DeliveryParseResult(DeliveryDefinition? Definition, IReadOnlyList<DefinitionProblem> Problems)
{
    public bool IsValid => Definition is not null;
}
