using Serverless.Pipeline.Definition;

namespace Serverless.Pipeline.Build;

/// <summary>
/// What the build learned about a stack at one commit: its pipeline definition, its compiled template
/// and parameters, its change type, and every problem. Shared by the build and by validation.
/// </summary>
public sealed record StackInspection(
    SourceSnapshot Source,
    DeliveryDefinition? Definition,
    string? CompiledTemplate,
    IReadOnlyDictionary<string, byte[]> ParameterFiles,
    string ChangeType,
    IReadOnlyList<BuildProblem> Problems,
    IReadOnlyList<BicepDiagnostic> Diagnostics,
    IReadOnlyDictionary<string, string> ToolVersions,
    string Log)
{
    public bool Succeeded => Problems.Count == 0 && Definition is not null && CompiledTemplate is not null;
}
