namespace Serverless.Pipeline.Definition;

/// <summary>Production instances deployed together; the next wave starts only when every one of them succeeded.</summary>
public sealed record ProductionWave(string Name, IReadOnlyList<EnvironmentTarget> Instances);
