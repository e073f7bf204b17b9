namespace Serverless.Pipeline.Definition;

/// <summary>Changed paths matching any of <paramref name="Paths"/> (globs relative to the stack root) make a change of <paramref name="Type"/>.</summary>
public sealed record ChangeTypeRule(IReadOnlyList<string> Paths, string Type);
