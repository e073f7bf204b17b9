using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Definition;

/// <summary>
/// Reads the environments of the stages and the production waves. delivery.yaml names an environment (<c>- dev</c>, or
/// <c>- name: dev</c> with its <c>parameters</c> and <c>healthUrl</c>); where it is deployed is the registration's. Read
/// against a <see cref="StackGovernance"/>, every name must be a registered environment of the right kind, a target field
/// written here must equal the registered one, and the target comes from the registration. Read without one (a file
/// checked on its own), the target fields are taken as written.
/// </summary>
internal sealed class EnvironmentReader(ProblemSink problems, StackGovernance? governance)
{
    public static readonly string[] Known = ["name", "subscription", "resourceGroup", "location", "parameters", "healthUrl", "ephemeral"];

    private readonly Dictionary<string, string> names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> resourceGroups = new(StringComparer.OrdinalIgnoreCase);

    public EnvironmentTarget? Read(YamlNode node, string path, EnvironmentKind kind)
    {
        if (node is YamlScalar { IsNull: false } scalar && !string.IsNullOrWhiteSpace(scalar.Value))
            return Resolve(scalar.Value.Trim(), node, path, path, kind, fields: null);
        if (Fields.Of(node, path, problems, Known) is not { } fields) return null;
        var name = fields.RequiredText("name");
        return name is null ? null : Resolve(name, fields.Place("name"), path, FieldPath.Child(path, "name"), kind, fields);
    }

    /// <summary>Reports every registered environment that no stage or wave delivers: a change may not leave one out.</summary>
    public void RequireEveryRegisteredEnvironment(Fields root)
    {
        if (governance is null) return;
        foreach (var kind in new[] { EnvironmentKind.Test, EnvironmentKind.Production })
        {
            var missing = governance.NamesOf(kind).Where(n => !names.ContainsKey(n)).ToList();
            if (missing.Count == 0) continue;
            var (field, where) = kind == EnvironmentKind.Test ? ("stages", "no stage") : ("production", "no production wave");
            root.Report(field, $"The stack's registration has the {(kind == EnvironmentKind.Test ? "test" : "production")} environment{(missing.Count == 1 ? "" : "s")} " +
                $"{string.Join(", ", missing.Select(n => $"'{n}'"))}, which {where} delivers: every registered environment takes every change " +
                "(an Admin removes an environment from the registration).");
        }
    }

    private EnvironmentTarget? Resolve(string name, YamlNode at, string itemPath, string namePath, EnvironmentKind kind, Fields? fields)
    {
        var noun = kind == EnvironmentKind.Production ? "production instance" : "environment";
        var named = false;
        if (!StackName.IsValid(name))
            problems.Add(at, namePath, $"'{name}' is not a valid {noun} name: {StackName.Rule}.");
        else if (StackRegistration.ReservedNames.Contains(name))
            problems.Add(at, namePath, $"'{name}' is the name of a pipeline stage; choose another {noun} name.");
        else if (!names.TryAdd(name, itemPath))
            problems.Add(at, namePath, $"The name '{name}' is already used by {names[name]}; every environment and production instance is delivered once.");
        else
            named = true;

        var written = Written(fields, kind);
        if (governance is null)
        {
            var target = Unregistered(name, written, fields);
            return named ? target : null;
        }
        if (!named) return null;

        if (governance.Find(name) is not { } registered)
        {
            var known = governance.NamesOf(kind);
            var nearest = FieldNameSuggestion.Nearest(name, known);
            problems.Add(at, namePath, $"No {noun} '{name}' is registered for this stack" +
                (nearest is null ? $"; registered: {(known.Count == 0 ? "none" : string.Join(", ", known))}." : $". Did you mean '{nearest}'?") +
                " The stack's registration (PUT /api/stacks/{stack}, an Admin) defines its environments.");
            return null;
        }
        if (registered.Kind != kind)
        {
            problems.Add(at, namePath, registered.Kind == EnvironmentKind.Production
                ? $"'{name}' is registered as a production environment: it is delivered in a production wave, after the approval, not in a test stage."
                : $"'{name}' is registered as a test environment: it cannot be a production instance.");
            return null;
        }
        if (fields is not null)
        {
            Agree(fields, "subscription", written.Subscription, registered.Subscription, name);
            Agree(fields, "resourceGroup", written.ResourceGroup, registered.ResourceGroup, name);
            Agree(fields, "location", written.Location, registered.Location, name);
            if (written.Ephemeral is { } ephemeral && ephemeral != registered.Ephemeral)
                fields.Report("ephemeral", $"'{name}' is {(registered.Ephemeral ? "" : "not ")}ephemeral in the stack's registration; the registration decides where environments are.");
        }
        return new EnvironmentTarget(name, registered.Subscription, registered.ResourceGroup, registered.Location, written.Parameters, written.HealthUrl, registered.Ephemeral);
    }

    private static void Agree(Fields fields, string field, string? written, string registered, string name)
    {
        if (written is not null && !string.Equals(written, registered, StringComparison.OrdinalIgnoreCase))
            fields.Report(field, $"'{written}' is not the {field} of '{name}' in the stack's registration ('{registered}'): the registration decides where " +
                "environments are; leave the field out, or ask an Admin to change the registration.");
    }

    /// <summary>A file read on its own: the target is what the file says, checked for clashes within the file.</summary>
    private EnvironmentTarget Unregistered(string name, WrittenFields written, Fields? fields)
    {
        if (fields is not null && written.Ephemeral != true && written.Subscription is not null && written.ResourceGroup is not null)
        {
            var target = $"{written.Subscription}/{written.ResourceGroup}";
            if (!resourceGroups.TryAdd(target, fields.Path))
                fields.Report("resourceGroup", $"Resource group '{written.ResourceGroup}' of this subscription is already the target of {resourceGroups[target]}; environments must not share a resource group.");
        }
        return new EnvironmentTarget(name, written.Subscription ?? "", written.ResourceGroup ?? "", written.Location ?? "", written.Parameters, written.HealthUrl, written.Ephemeral ?? false);
    }

    private static WrittenFields Written(Fields? fields, EnvironmentKind kind)
    {
        if (fields is null) return new WrittenFields(null, null, null, null, null, null);
        var subscription = fields.OptionalText("subscription");
        if (subscription is not null && Check(fields, "subscription", DefinitionRules.Subscription(subscription, out var normalizedSubscription)))
            subscription = normalizedSubscription;
        var resourceGroup = fields.OptionalText("resourceGroup");
        if (resourceGroup is not null) Check(fields, "resourceGroup", DefinitionRules.ResourceGroup(resourceGroup));
        var location = fields.OptionalText("location");
        if (location is not null) Check(fields, "location", DefinitionRules.Location(location));
        var parameters = fields.OptionalText("parameters");
        if (parameters is not null && Check(fields, "parameters", DefinitionRules.StackFile(parameters, [".json"], out var normalizedParameters)))
            parameters = normalizedParameters;
        var healthUrl = fields.OptionalText("healthUrl");
        if (healthUrl is not null) Check(fields, "healthUrl", DefinitionRules.HttpUrl(healthUrl));
        var ephemeral = fields.Has("ephemeral") ? fields.Bool("ephemeral", fallback: false) : null;
        if (kind == EnvironmentKind.Production && ephemeral == true)
            fields.Report("ephemeral", "A production instance cannot be ephemeral; only test environments can be.");
        return new WrittenFields(subscription, resourceGroup, location, parameters, healthUrl, ephemeral);
    }

    private static bool Check(Fields fields, string name, string? error)
    {
        if (error is null) return true;
        fields.Report(name, error);
        return false;
    }

    private sealed record WrittenFields(string? Subscription, string? ResourceGroup, string? Location, string? Parameters, string? HealthUrl, bool? Ephemeral);
}
