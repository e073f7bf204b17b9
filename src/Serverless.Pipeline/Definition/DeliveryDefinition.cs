namespace Serverless.Pipeline.Definition;

/// <summary>
/// A stack's pipeline as its <c>delivery.yaml</c> defines it. Immutable and made of simple types,
/// so that it can travel in orchestration inputs. Obtain one from <see cref="DeliveryYaml.Parse"/>,
/// which only returns a definition that passed every check.
/// </summary>
/// <param name="Template">The template, relative to the stack root: a <c>.bicep</c> file or an ARM <c>.json</c> template.</param>
/// <param name="Stages">The test stages, in order.</param>
/// <param name="Approval">Who approves a release for production, and how long the pipeline waits.</param>
/// <param name="Production">The production instances, in waves applied one after another.</param>
/// <param name="Checks">The online checks run after each test deployment.</param>
/// <param name="ChangeTypes">How a change is classified from the paths it touches.</param>
/// <param name="Lint">Which Bicep lint rules fail the build.</param>
/// <param name="Supersede">Whether a newer commit supersedes older runs of the stack that are still waiting.</param>
public sealed record DeliveryDefinition(
    string Template,
    IReadOnlyList<StageDefinition> Stages,
    ApprovalPolicy Approval,
    IReadOnlyList<ProductionWave> Production,
    OnlineChecks Checks,
    ChangeTypePolicy ChangeTypes,
    LintPolicy Lint,
    bool Supersede)
{
    /// <summary>Whether the template is Bicep (compiled in the build) rather than ARM JSON (taken as is).</summary>
    public bool IsBicep() => Template.EndsWith(".bicep", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every test environment, stage by stage.</summary>
    public IReadOnlyList<EnvironmentTarget> TestEnvironments() => [.. Stages.SelectMany(s => s.Environments)];

    /// <summary>Every production instance, wave by wave.</summary>
    public IReadOnlyList<EnvironmentTarget> ProductionInstances() => [.. Production.SelectMany(w => w.Instances)];
}
