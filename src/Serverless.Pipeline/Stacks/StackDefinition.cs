namespace Serverless.Pipeline.Stacks;

/// <summary>A registered infrastructure stack: where its source lives, where it is delivered and what protects production.</summary>
public sealed record StackDefinition(
    string Name,
    string Repository,
    StackGovernance Governance,
    DateTimeOffset RegisteredAt)
{
    public const string DefaultBranch = "main";

    /// <summary>The path globs of a stack that is delivered on a change to any file of its repository.</summary>
    public static IReadOnlyList<string> AllPaths { get; } = ["**"];

    /// <summary>The branch (a name or a glob such as <c>release/*</c>) whose pushes start runs of this stack.</summary>
    public string Branch { get; init; } = DefaultBranch;

    /// <summary>The stack's folder in its repository (for mono-repos), without leading or trailing '/'; empty for the root.</summary>
    public string Path { get; init; } = "";

    /// <summary>Globs of the repository paths that belong to this stack; a push that changes none of them starts no run.</summary>
    public IReadOnlyList<string> Paths { get; init; } = AllPaths;

    /// <summary>
    /// Who may start, decide or roll back this stack through the API (any name a caller is known by); null: every Operator.
    /// Admins always may. Pushes (Event Grid, GitHub) are not restricted by it: the repository decides who pushes.
    /// </summary>
    public IReadOnlyList<string>? Operators { get; init; }

    public IReadOnlyList<StackEnvironment> Environments() => Governance.Environments;

    /// <summary>The names of the test environments, in registration order.</summary>
    public IReadOnlyList<string> TestEnvironments => Governance.NamesOf(EnvironmentKind.Test);

    /// <summary>The names of the production instances, in registration order.</summary>
    public IReadOnlyList<string> ProductionInstances => Governance.NamesOf(EnvironmentKind.Production);
}
