using Serverless.Pipeline.Definition;

namespace Serverless.Pipeline.Stacks;

/// <summary>
/// The body of <c>PUT /api/stacks/{stack}</c>: what an Admin decides about a stack. Besides where its source lives and
/// which pushes start runs, the registration is the one place that defines the stack's environments (name, kind, ARM
/// target) and what protects production; delivery.yaml refers to environments by name and may only tighten the protection.
/// </summary>
public sealed record StackRegistration(
    string? Repository,
    List<EnvironmentRegistration?>? Environments,
    ProductionRegistration? Production,
    string? Branch = null,
    List<string>? Paths = null,
    string? Path = null,
    List<string>? Operators = null)
{
    public const int DefaultApprovalTimeoutMinutes = 24 * 60;
    public const int MaxApprovalTimeoutMinutes = 30 * 24 * 60;
    public const int MaxEnvironments = 50;
    public const int MaxPaths = 50;
    public const int MaxBranchLength = 200;
    public const int MaxOperators = 100;
    public const int MaxNameLength = 200;
    public const int MaxApprovers = 100;

    /// <summary>Stage names of every run; an environment may not share them.</summary>
    public static readonly IReadOnlySet<string> ReservedNames = new HashSet<string> { "build", "approval" };

    /// <summary>Every problem with the registration, keyed by field path; empty when it is valid.</summary>
    public Dictionary<string, string[]> Validate() => StackRegistrationRules.Validate(this);

    /// <summary>The stack this registration defines; call only when <see cref="Validate"/> found nothing.</summary>
    public StackDefinition ToDefinition(string name, DateTimeOffset now)
    {
        var branch = Branch ?? StackDefinition.DefaultBranch;
        var environments = Environments!.Select(e => e!.ToEnvironment()).ToList();
        var production = Production!;
        var approval = new ApprovalPolicy(
            Distinct(production.Approvers?.Users),
            Distinct(production.Approvers?.Groups),
            production.MinimumApprovals ?? 1,
            production.AuthorMayApprove ?? false,
            TimeSpan.FromMinutes(production.TimeoutMinutes ?? DefaultApprovalTimeoutMinutes));
        return new StackDefinition(name, Repository!.Trim(), new StackGovernance(environments, new ProductionProtection(approval, production.Branch ?? branch)), now)
        {
            Branch = branch,
            // A stack in a folder of a mono-repo is, by default, delivered on changes to that folder only.
            Paths = Paths is not null ? [.. Paths] : NormalizePath(Path) is { Length: > 0 } folder ? [$"{folder}/**"] : StackDefinition.AllPaths,
            Path = NormalizePath(Path),
            Operators = Operators is null ? null : Distinct(Operators),
        };
    }

    /// <summary>The stack folder as stored: forward slashes, no leading or trailing '/'.</summary>
    public static string NormalizePath(string? path) => (path ?? "").Replace('\\', '/').Trim('/');

    private static List<string> Distinct(IEnumerable<string>? names) =>
        [.. (names ?? []).Select(n => n.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)];
}

/// <summary>One environment of a registration: <c>{name, kind: test|production, subscription, resourceGroup, location, ephemeral?}</c>.</summary>
public sealed record EnvironmentRegistration(string? Name, string? Kind, string? Subscription, string? ResourceGroup, string? Location, bool? Ephemeral = null)
{
    public const string TestKind = "test";
    public const string ProductionKind = "production";

    public EnvironmentKind? ParsedKind => Kind?.Trim().ToLowerInvariant() switch
    {
        TestKind => EnvironmentKind.Test,
        ProductionKind => EnvironmentKind.Production,
        _ => null,
    };

    public StackEnvironment ToEnvironment() => new(
        Name!.Trim(), ParsedKind!.Value, Guid.ParseExact(Subscription!.Trim(), "D").ToString("D"), ResourceGroup?.Trim() ?? "", Location!.Trim(), Ephemeral ?? false);
}

/// <summary>
/// The protection of production: <c>{approvers: {users, groups}, minimumApprovals?, authorMayApprove?, timeoutMinutes?, branch?}</c>.
/// <c>branch</c> (a name or glob) defaults to the stack's <c>branch</c>: production takes only commits on it.
/// </summary>
public sealed record ProductionRegistration(
    ApproversRegistration? Approvers,
    int? MinimumApprovals = null,
    bool? AuthorMayApprove = null,
    int? TimeoutMinutes = null,
    string? Branch = null);

/// <summary>Who may approve a release for production: people by name, and groups whose members may.</summary>
public sealed record ApproversRegistration(List<string>? Users = null, List<string>? Groups = null);
