using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Definition;

/// <summary>
/// Reads environments and production instances (the same ARM target fields), and checks across the whole file
/// that no name is used twice and no two environments share a resource group.
/// </summary>
internal sealed class EnvironmentReader(ProblemSink problems)
{
    public static readonly string[] Known = ["name", "subscription", "resourceGroup", "location", "parameters", "healthUrl", "ephemeral"];

    private readonly Dictionary<string, string> names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> resourceGroups = new(StringComparer.OrdinalIgnoreCase);

    public EnvironmentTarget? Read(YamlNode node, string path, bool production)
    {
        if (Fields.Of(node, path, problems, Known) is not { } fields) return null;
        var name = Name(fields, production);
        var subscription = fields.RequiredText("subscription");
        if (subscription is not null && Check(fields, "subscription", DefinitionRules.Subscription(subscription, out var normalizedSubscription)))
            subscription = normalizedSubscription;
        var resourceGroup = fields.RequiredText("resourceGroup");
        if (resourceGroup is not null) Check(fields, "resourceGroup", DefinitionRules.ResourceGroup(resourceGroup));
        var location = fields.RequiredText("location");
        if (location is not null) Check(fields, "location", DefinitionRules.Location(location));
        var parameters = fields.OptionalText("parameters");
        if (parameters is not null && Check(fields, "parameters", DefinitionRules.StackFile(parameters, [".json"], out var normalizedParameters)))
            parameters = normalizedParameters;
        var healthUrl = fields.OptionalText("healthUrl");
        if (healthUrl is not null) Check(fields, "healthUrl", DefinitionRules.HttpUrl(healthUrl));
        var ephemeral = fields.Bool("ephemeral", fallback: false);
        if (production && ephemeral == true)
            fields.Report("ephemeral", "A production instance cannot be ephemeral; only test environments can be.");

        if (name is not null && ephemeral == false && subscription is not null && resourceGroup is not null)
        {
            var target = $"{subscription}/{resourceGroup}";
            if (!resourceGroups.TryAdd(target, path))
                fields.Report("resourceGroup", $"Resource group '{resourceGroup}' of this subscription is already the target of {resourceGroups[target]}; environments must not share a resource group.");
        }
        return new EnvironmentTarget(name ?? "", subscription ?? "", resourceGroup ?? "", location ?? "", parameters, healthUrl, ephemeral ?? false);
    }

    private string? Name(Fields fields, bool production)
    {
        var name = fields.RequiredText("name");
        if (name is null) return null;
        var kind = production ? "production instance" : "environment";
        if (!StackName.IsValid(name))
            fields.Report("name", $"'{name}' is not a valid {kind} name: {StackName.Rule}.");
        else if (StackRegistration.ReservedNames.Contains(name))
            fields.Report("name", $"'{name}' is the name of a pipeline stage; choose another {kind} name.");
        else if (!names.TryAdd(name, fields.Path))
            fields.Report("name", $"The name '{name}' is already used by {names[name]}; every environment and production instance needs its own name.");
        return name;
    }

    private static bool Check(Fields fields, string name, string? error)
    {
        if (error is null) return true;
        fields.Report(name, error);
        return false;
    }
}
