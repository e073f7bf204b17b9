using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Definition;

/// <summary>Reads the whole delivery.yaml tree into a <see cref="DeliveryDefinition"/>, reporting every problem on the way.</summary>
internal static class DeliveryDefinitionReader
{
    public static readonly string[] Known = ["template", "supersede", "stages", "approval", "production", "checks", "changeTypes", "lint"];

    private static readonly string[] KnownStage = ["name", "environments"];
    private static readonly string[] KnownProduction = ["waves"];
    private static readonly string[] KnownWave = ["name", "instances"];

    public static DeliveryDefinition? Read(YamlNode root, ProblemSink problems, StackGovernance? governance)
    {
        if (Fields.Of(root, "", problems, Known) is not { } fields) return null;
        var environments = new EnvironmentReader(problems, governance);

        var template = fields.RequiredText("template");
        if (template is not null)
        {
            if (DefinitionRules.StackFile(template, [".bicep", ".json"], out var normalized) is { } error) fields.Report("template", error);
            else template = normalized;
        }
        var stages = Stages(fields, environments);
        var approval = ApprovalReader.Read(fields, governance);
        var production = Production(fields, environments);
        environments.RequireEveryRegisteredEnvironment(fields);
        var checks = ChecksReader.Read(fields);
        var changeTypes = ChangeTypesReader.Read(fields);
        var lint = LintReader.Read(fields);
        var supersede = fields.Bool("supersede", fallback: true);

        if (problems.Count > 0) return null;
        return new DeliveryDefinition(template!, stages, approval!, production, checks!, changeTypes!, lint!, supersede ?? true);
    }

    private static List<StageDefinition> Stages(Fields root, EnvironmentReader environments)
    {
        var stages = new List<StageDefinition>();
        var items = root.List("stages", required: true);
        if (items is { Count: 0 }) root.Report("stages", "List at least one test stage: every change is tested before production.");
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (node, path) in items ?? [])
        {
            if (Fields.Of(node, path, root.Problems, KnownStage) is not { } stage) continue;
            var name = stage.RequiredText("name");
            if (name is not null && !StackName.IsValid(name))
                stage.Report("name", $"'{name}' is not a valid stage name: {StackName.Rule}.");
            else if (name is not null && !names.TryAdd(name, path))
                stage.Report("name", $"The stage name '{name}' is already used by {names[name]}.");
            var targets = stage.List("environments", required: true);
            if (targets is { Count: 0 }) stage.Report("environments", "A stage must list at least one environment.");
            var list = new List<EnvironmentTarget>();
            foreach (var (targetNode, targetPath) in targets ?? [])
            {
                if (environments.Read(targetNode, targetPath, EnvironmentKind.Test) is { } target) list.Add(target);
            }
            stages.Add(new StageDefinition(name ?? "", list));
        }
        return stages;
    }

    private static List<ProductionWave> Production(Fields root, EnvironmentReader environments)
    {
        var waves = new List<ProductionWave>();
        if (root.Section("production", required: true, KnownProduction) is not { } production) return waves;
        var items = production.List("waves", required: true);
        if (items is { Count: 0 }) production.Report("waves", "List at least one wave of production instances.");
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (node, path) in items ?? [])
        {
            if (Fields.Of(node, path, root.Problems, KnownWave) is not { } wave) continue;
            var name = wave.OptionalText("name") ?? $"wave-{waves.Count + 1}";
            if (!StackName.IsValid(name))
                wave.Report("name", $"'{name}' is not a valid wave name: {StackName.Rule}.");
            else if (!names.TryAdd(name, path))
                wave.Report("name", $"The wave name '{name}' is already used by {names[name]}.");
            var instances = wave.List("instances", required: true);
            if (instances is { Count: 0 }) wave.Report("instances", "A wave must list at least one production instance.");
            var list = new List<EnvironmentTarget>();
            foreach (var (instanceNode, instancePath) in instances ?? [])
            {
                if (environments.Read(instanceNode, instancePath, EnvironmentKind.Production) is { } instance) list.Add(instance);
            }
            waves.Add(new ProductionWave(name, list));
        }
        return waves;
    }
}
