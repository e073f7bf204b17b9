using Serverless.Pipeline.Definition;

namespace Serverless.Pipeline.Stacks;

/// <summary>The checks of a stack registration; each problem is keyed by the path of its field (<c>environments[1].kind</c>).</summary>
internal static class StackRegistrationRules
{
    public static Dictionary<string, string[]> Validate(StackRegistration registration)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(registration.Repository))
            errors["repository"] = ["The repository URL is required."];
        else if (!Uri.TryCreate(registration.Repository.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http" or "file"))
            errors["repository"] = ["The repository must be an absolute https, http or file URL."];

        ValidateEnvironments(registration.Environments, errors);
        ValidateProduction(registration.Production, errors);
        ValidateBranch("branch", registration.Branch, errors);
        ValidatePaths(registration.Paths, errors);
        ValidateStackPath(registration.Path, errors);
        ValidateOperators(registration.Operators, errors);
        return errors;
    }

    private static void ValidateEnvironments(List<EnvironmentRegistration?>? environments, Dictionary<string, string[]> errors)
    {
        if (environments is null || environments.Count == 0)
        {
            errors["environments"] = ["List the stack's environments: {name, kind: test|production, subscription, resourceGroup, location, ephemeral?}; at least one production environment."];
            return;
        }
        if (environments.Count > StackRegistration.MaxEnvironments)
        {
            errors["environments"] = [$"At most {StackRegistration.MaxEnvironments} environments are allowed."];
            return;
        }
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var targets = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < environments.Count; i++)
        {
            var field = $"environments[{i}]";
            if (environments[i] is not { } environment)
            {
                errors[field] = ["An environment may not be null."];
                continue;
            }
            var name = environment.Name?.Trim();
            if (string.IsNullOrEmpty(name)) errors[$"{field}.name"] = ["The environment's name is required."];
            else if (!StackName.IsValid(name)) errors[$"{field}.name"] = [$"'{name}' is not an environment name: {StackName.Rule}."];
            else if (StackRegistration.ReservedNames.Contains(name)) errors[$"{field}.name"] = [$"'{name}' is the name of a pipeline stage; choose another environment name."];
            else if (!names.TryAdd(name, i)) errors[$"{field}.name"] = [$"'{name}' is already the name of environments[{names[name]}]."];

            var kind = environment.ParsedKind;
            if (kind is null)
                errors[$"{field}.kind"] = [$"The kind is '{EnvironmentRegistration.TestKind}' or '{EnvironmentRegistration.ProductionKind}'{(environment.Kind is null ? "" : $", not '{environment.Kind}'")}."];

            var subscription = environment.Subscription?.Trim();
            if (string.IsNullOrEmpty(subscription)) errors[$"{field}.subscription"] = ["The subscription id is required."];
            else if (DefinitionRules.Subscription(subscription, out var normalized) is { } problem) errors[$"{field}.subscription"] = [problem];
            else subscription = normalized;

            var resourceGroup = environment.ResourceGroup?.Trim();
            if (string.IsNullOrEmpty(resourceGroup))
            {
                // An ephemeral environment's resource group is made for each run (rg-{stack}-{commit}); it needs none of its own.
                if (environment.Ephemeral != true) errors[$"{field}.resourceGroup"] = ["The resource group is required."];
            }
            else if (DefinitionRules.ResourceGroup(resourceGroup) is { } problem) errors[$"{field}.resourceGroup"] = [problem];

            var location = environment.Location?.Trim();
            if (string.IsNullOrEmpty(location)) errors[$"{field}.location"] = ["The location is required."];
            else if (DefinitionRules.Location(location) is { } problem) errors[$"{field}.location"] = [problem];

            if (environment.Ephemeral == true && kind == EnvironmentKind.Production)
                errors[$"{field}.ephemeral"] = ["A production environment cannot be ephemeral; only test environments can be."];
            else if (environment.Ephemeral != true && subscription is not null && resourceGroup is not null && !targets.TryAdd($"{subscription}/{resourceGroup}", i))
                errors[$"{field}.resourceGroup"] = [$"Resource group '{resourceGroup}' of this subscription is already the target of environments[{targets[$"{subscription}/{resourceGroup}"]}]; environments must not share a resource group."];
        }
        if (!environments.Any(e => e?.ParsedKind == EnvironmentKind.Production))
            errors["environments"] = ["At least one environment must be of kind 'production': a release is done when every production environment runs it."];
    }

    private static void ValidateProduction(ProductionRegistration? production, Dictionary<string, string[]> errors)
    {
        if (production is null)
        {
            errors["production"] = ["The protection of production is required: {approvers: {users, groups}, minimumApprovals?, authorMayApprove?, timeoutMinutes?, branch?}."];
            return;
        }
        var users = Names("production.approvers.users", production.Approvers?.Users, errors);
        var groups = Names("production.approvers.groups", production.Approvers?.Groups, errors);
        if (users.Count == 0 && groups.Count == 0 && !errors.Keys.Any(k => k.StartsWith("production.approvers", StringComparison.Ordinal)))
            errors["production.approvers"] = ["Name at least one approver under 'users' or 'groups': nobody may approve a change to production who is not named here."];

        var minimum = production.MinimumApprovals ?? 1;
        if (minimum < 1)
            errors["production.minimumApprovals"] = [$"At least 1 approval is required, not {minimum}."];
        else if (groups.Count == 0 && users.Count > 0 && minimum > users.Count)
            errors["production.minimumApprovals"] = [$"{minimum} approvals are required but only {users.Count} approver{(users.Count == 1 ? " is" : "s are")} listed."];
        if (production.TimeoutMinutes is < 1 or > StackRegistration.MaxApprovalTimeoutMinutes)
            errors["production.timeoutMinutes"] = [$"The approval timeout must be between 1 and {StackRegistration.MaxApprovalTimeoutMinutes} minutes."];
        ValidateBranch("production.branch", production.Branch, errors);
    }

    private static List<string> Names(string field, List<string>? names, Dictionary<string, string[]> errors)
    {
        if (names is null) return [];
        if (names.Count > StackRegistration.MaxApprovers)
        {
            errors[field] = [$"At most {StackRegistration.MaxApprovers} names are allowed; use a group instead."];
            return [];
        }
        if (names.Any(n => string.IsNullOrWhiteSpace(n) || n.Trim().Length > StackRegistration.MaxNameLength || n.Any(char.IsControl)))
        {
            errors[field] = [$"Each name is 1 to {StackRegistration.MaxNameLength} characters without control characters."];
            return [];
        }
        var repeated = names.GroupBy(n => n.Trim(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0) errors[field] = [$"Each name may be listed once: {string.Join(", ", repeated)}."];
        return [.. names.Select(n => n.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    private static void ValidateStackPath(string? path, Dictionary<string, string[]> errors)
    {
        if (path is null) return;
        var normalized = StackRegistration.NormalizePath(path);
        if (normalized.Length > 400 || normalized.Split('/').Any(part => part is "." or ".." || part.Length == 0 && normalized.Length > 0)
            || normalized.Any(c => char.IsControl(c) || c is ':' or '*' or '?'))
            errors["path"] = ["The path must be a folder of the repository, such as stacks/network, without '..', wildcards or control characters."];
    }

    private static void ValidateBranch(string field, string? branch, Dictionary<string, string[]> errors)
    {
        if (branch is null) return;
        if (string.IsNullOrWhiteSpace(branch))
            errors[field] = [$"The branch may not be empty; omit it for '{StackDefinition.DefaultBranch}'."];
        else if (branch.StartsWith("refs/", StringComparison.Ordinal))
            errors[field] = [$"Give the branch by its name, without 'refs/heads/': '{branch.Replace("refs/heads/", "", StringComparison.Ordinal)}', not '{branch}'."];
        else if (branch.Length > StackRegistration.MaxBranchLength || branch.Any(char.IsWhiteSpace))
            errors[field] = [$"The branch must be a branch name or glob of at most {StackRegistration.MaxBranchLength} characters, without spaces."];
        else if (!GlobPattern.TryCreate(branch, out _, out var error))
            errors[field] = [$"The branch is not a branch name or glob: {error}"];
    }

    private static void ValidatePaths(List<string>? paths, Dictionary<string, string[]> errors)
    {
        if (paths is null) return;
        if (paths.Count == 0)
        {
            errors["paths"] = ["At least one path glob is required; omit paths to deliver the stack on a change to any file."];
            return;
        }
        if (paths.Count > StackRegistration.MaxPaths)
        {
            errors["paths"] = [$"At most {StackRegistration.MaxPaths} path globs are allowed."];
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
        else if (operators.Count > StackRegistration.MaxOperators)
            errors["operators"] = [$"At most {StackRegistration.MaxOperators} operators are allowed; grant a role to a group instead."];
        else if (operators.Any(o => string.IsNullOrWhiteSpace(o) || o.Trim().Length > StackRegistration.MaxNameLength || o.Any(char.IsControl)))
            errors["operators"] = [$"Each operator is a name of 1 to {StackRegistration.MaxNameLength} characters (an API key's name, a user name or e-mail, an object or app id), without control characters."];
    }
}
