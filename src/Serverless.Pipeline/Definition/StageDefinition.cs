namespace Serverless.Pipeline.Definition;

/// <summary>A test stage: its environments are deployed and checked together before the next stage starts.</summary>
public sealed record StageDefinition(string Name, IReadOnlyList<EnvironmentTarget> Environments);
