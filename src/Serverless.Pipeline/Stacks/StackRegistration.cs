using Serverless.Pipeline.Definition;

namespace Serverless.Pipeline.Stacks;

/// <summary>The body of <c>PUT /api/stacks/{stack}</c>.</summary>
public sealed record StackRegistration(
    string? Repository,
    List<string>? TestEnvironments,
    List<string>? ProductionInstances,
    int? ApprovalTimeoutMinutes,
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
    public const int MaxOperatorNameLength = 200;

    /// <summary>Stage names of every run; an environment may not share them.</summary>
    public static readonly IReadOnlySet<string> ReservedNames = new HashSet<string> { "build", "approval" };

    /// <summary>Every problem with the registration, keyed by field; empty when it is valid.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Repository))
            errors["repository"] = ["The repository URL is required."];
        else if (!Uri.TryCreate(Repository, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http" or "file"))
            errors["repository"] = ["The repository must be an absolute https, http or file URL."];

        ValidateEnvironments("testEnvironments", TestEnvironments, allowEmpty: true, errors);
        ValidateEnvironments("productionInstances", ProductionInstances, allowEmpty: false, errors);

        var all = (TestEnvironments ?? []).Concat(ProductionInstances ?? []).ToList();
        var repeated = all.GroupBy(e => e).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0)
            errors["environments"] = [$"Each environment may appear once across test and production: {string.Join(", ", repeated)}."];

        if (ApprovalTimeoutMinutes is < 1 or > MaxApprovalTimeoutMinutes)
            errors["approvalTimeoutMinutes"] = [$"The approval timeout must be between 1 and {MaxApprovalTimeoutMinutes} minutes."];
        ValidateBranch(Branch, errors);
        ValidatePaths(Paths, errors);
        ValidateStackPath(Path, errors);
        ValidateOperators(Operators, errors);
        return errors;
    }

    public StackDefinition ToDefinition(string name, DateTimeOffset now) => new(
        name,
        Repository!,
        TestEnvironments ?? [],
        ProductionInstances!,
        TimeSpan.FromMinutes(ApprovalTimeoutMinutes ?? DefaultApprovalTimeoutMinutes),
        now)
    {
        Branch = Branch ?? StackDefinition.DefaultBranch,
        // A stack in a folder of a mono-repo is, by default, delivered on changes to that folder only.
        Paths = Paths is not null ? [.. Paths] : NormalizePath(Path) is { Length: > 0 } folder ? [$"{folder}/**"] : StackDefinition.AllPaths,
        Path = NormalizePath(Path),
        Operators = Operators?.Select(o => o.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
    };

    /// <summary>The stack folder as stored: forward slashes, no leading or trailing '/'.</summary>
    public static string NormalizePath(string? path) => (path ?? "").Replace('\\', '/').Trim('/');

    private static void ValidateStackPath(string? path, Dictionary<string, string[]> errors)
    {
        if (path is null) return;
        var normalized = NormalizePath(path);
        if (normalized.Length > 400 || normalized.Split('/').Any(part => part is "." or ".." || part.Length == 0 && normalized.Length > 0)
            || normalized.Any(c => char.IsControl(c) || c is ':' or '*' or '?'))
            errors["path"] = ["The path must be a folder of the repository, such as stacks/network, without '..', wildcards or control characters."];
    }

    private static void ValidateBranch(string? branch, Dictionary<string, string[]> errors)
    {
        if (branch is null) return;
        if (string.IsNullOrWhiteSpace(branch))
            errors["branch"] = [$"The branch may not be empty; omit it to deliver pushes to '{StackDefinition.DefaultBranch}'."];
        else if (branch.StartsWith("refs/", StringComparison.Ordinal))
            errors["branch"] = [$"Give the branch by its name, without 'refs/heads/': '{branch.Replace("refs/heads/", "", StringComparison.Ordinal)}', not '{branch}'."];
        else if (branch.Length > MaxBranchLength || branch.Any(char.IsWhiteSpace))
            errors["branch"] = [$"The branch must be a branch name or glob of at most {MaxBranchLength} characters, without spaces."];
        else if (!GlobPattern.TryCreate(branch, out _, out var error))
            errors["branch"] = [$"The branch is not a branch name or glob: {error}"];
    }

    private static void ValidatePaths(List<string>? paths, Dictionary<string, string[]> errors)
    {
        if (paths is null) return;
        if (paths.Count == 0)
        {
            errors["paths"] = ["At least one path glob is required; omit paths to deliver the stack on a change to any file."];
            return;
        }
        if (paths.Count > MaxPaths)
        {
            errors["paths"] = [$"At most {MaxPaths} path globs are allowed."];
            return;
        }
        var problems = new List<string>();
        foreach (var path in paths)
        {
            if (!GlobPattern.TryCreate(path ?? "", out _, out var error)) problems.Add(error!);
        }
        if (problems.Count > 0) errors["paths"] = [.. problems];
    }

    private static void ValidateOperators(List<string>? operators, Dictionary<string, string[]> errors)
    {
        if (operators is null) return;
        if (operators.Count == 0)
            errors["operators"] = ["List at least one operator; omit operators to let every Operator start and roll back the stack."];
        else if (operators.Count > MaxOperators)
            errors["operators"] = [$"At most {MaxOperators} operators are allowed; grant a role to a group instead."];
        else if (operators.Any(o => string.IsNullOrWhiteSpace(o) || o.Trim().Length > MaxOperatorNameLength || o.Any(char.IsControl)))
            errors["operators"] = [$"Each operator is a name of 1 to {MaxOperatorNameLength} characters (an API key's name, a user name or e-mail, an object or app id), without control characters."];
    }

    private static void ValidateEnvironments(string field, List<string>? names, bool allowEmpty, Dictionary<string, string[]> errors)
    {
        if (names is null || names.Count == 0)
        {
            if (!allowEmpty) errors[field] = ["At least one environment is required."];
            return;
        }
        if (names.Count > MaxEnvironments)
        {
            errors[field] = [$"At most {MaxEnvironments} environments are allowed."];
            return;
        }
        var invalid = names.Where(n => !StackName.IsValid(n)).ToList();
        var reserved = names.Where(ReservedNames.Contains).ToList();
        if (invalid.Count > 0)
            errors[field] = [$"Environment names must be {StackName.Rule}; invalid: {string.Join(", ", invalid.Select(n => $"'{n}'"))}."];
        else if (reserved.Count > 0)
            errors[field] = [$"{string.Join(", ", reserved)} is the name of a pipeline stage and cannot name an environment."];
    }
}
