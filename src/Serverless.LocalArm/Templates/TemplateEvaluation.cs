using System.Text.Json;
using System.Text.Json.Nodes;
using static Serverless.LocalArm.Templates.ExpressionEvaluator;

namespace Serverless.LocalArm.Templates;

/// <summary>
/// One template evaluated in one scope, as ARM deploys it: its resources expanded (copy loops,
/// conditions, child resources, the array and the symbolic-name forms), nested deployments
/// evaluated on their own, everything put in <c>dependsOn</c> order, and the outputs.
/// <c>reference()</c> of a resource or a nested deployment evaluates it first, once.
/// </summary>
internal sealed class TemplateEvaluation
{
    private readonly JsonObject template;
    private readonly List<ResourceInstance> instances = [];
    private readonly Dictionary<string, List<ResourceInstance>> named = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ResourceInstance> existing = new(StringComparer.OrdinalIgnoreCase);

    private TemplateEvaluation(JsonObject template, TemplateContext context, DeploymentScope target, IResourceGroupDirectory directory)
    {
        this.template = template;
        Context = context.WithEvaluation(this);
        Target = target;
        Directory = directory;
    }

    public TemplateContext Context { get; }

    /// <summary>The resource group the template's resources go to.</summary>
    public DeploymentScope Target { get; }

    public IResourceGroupDirectory Directory { get; }

    /// <summary>The resources in deployment order, those of nested deployments among them.</summary>
    public IReadOnlyList<TemplateResource> Resources { get; private set; } = [];

    /// <summary>ARM's output shape: <c>{"name": {"type": "String", "value": ...}}</c>.</summary>
    public JsonObject Outputs { get; private set; } = [];

    /// <summary>A template with parameters of its own: the deployment's template, or a nested template of inner scope.</summary>
    /// <exception cref="TemplateException">The template or its parameters are invalid.</exception>
    public static TemplateEvaluation ForTemplate(JsonObject template, JsonObject? supplied, DeploymentScope scope, IResourceGroupDirectory directory)
    {
        var context = TemplateContext.ForTemplate(template, supplied, scope);
        CheckParameters(context, supplied);
        return new TemplateEvaluation(template, context, scope, directory).Run();
    }

    /// <summary>A nested template of outer scope: evaluated with its parent's parameters and variables.</summary>
    public static TemplateEvaluation InOuterScope(JsonObject template, TemplateContext parent, DeploymentScope target, IResourceGroupDirectory directory) =>
        new TemplateEvaluation(template, parent, target, directory).Run();

    /// <summary><c>reference(target)</c>: a resource or nested deployment of this template (by id, symbolic name or name), else one deployed before.</summary>
    public JsonNode Reference(string target, bool full)
    {
        if (Matching(target).FirstOrDefault() is { } instance)
        {
            return instance.Included
                ? instance.Reference(full)
                : throw new TemplateException("InvalidTemplate", $"The resource '{instance.Id}' is referenced but not deployed: its condition is false.");
        }
        var id = existing.TryGetValue(target, out var declared) ? declared.Id : target;
        if (Directory.Deployed(id) is { } deployed)
            return full ? deployed.Definition.DeepClone() : deployed.Definition["properties"]?.DeepClone() ?? new JsonObject();
        throw new UnsupportedExpressionException($"reference('{target}'): the test double knows no such resource.");
    }

    /// <summary>ARM's echo of the parameters: <c>{"name": {"type": "String", "value": ...}}</c> (no value for secure ones).</summary>
    public JsonObject EchoParameters()
    {
        var echo = new JsonObject();
        foreach (var (name, node) in Context.DeclaredParameters)
        {
            var type = Text((node as JsonObject)?["type"]);
            var entry = new JsonObject { ["type"] = ArmTypeName(type) };
            if (!type.StartsWith("secure", StringComparison.OrdinalIgnoreCase))
                entry["value"] = Context.Parameter(name);
            echo[name] = entry;
        }
        return echo;
    }

    /// <summary>True unless the item has a condition that is false (one the test double cannot evaluate counts as true).</summary>
    internal static bool Holds(JsonObject item, TemplateContext context)
    {
        if (!item.ContainsKey("condition"))
            return true;
        try
        {
            return Boolean(EvaluateDeep(item["condition"], context));
        }
        catch (Exception e) when (e is not TemplateException)
        {
            return true;
        }
    }

    private static void CheckParameters(TemplateContext context, JsonObject? supplied)
    {
        var unknown = (supplied ?? []).Select(p => p.Key).Where(name => TemplateContext.Find(context.DeclaredParameters, name) is null).ToList();
        if (unknown.Count > 0)
            throw new TemplateException("InvalidTemplate",
                $"Deployment template validation failed: 'The template parameters '{string.Join(", ", unknown)}' in the parameters file are not valid; they are not present in the original template and can therefore not be provided at deployment time.'");
        foreach (var (name, _) in context.DeclaredParameters)
            context.Parameter(name);
    }

    private TemplateEvaluation Run()
    {
        Expand(template["resources"], parent: null);
        Resources = Flatten();
        Outputs = ReadOutputs();
        return this;
    }

    private void Expand(JsonNode? declared, ResourceInstance? parent)
    {
        IEnumerable<(string? Symbol, JsonObject Item)> items = declared switch
        {
            JsonArray array => array.OfType<JsonObject>().Select(item => ((string?)null, item)),
            JsonObject symbolic => symbolic.Where(p => p.Value is JsonObject).Select(p => ((string?)p.Key, (JsonObject)p.Value!)),
            _ => [],
        };
        foreach (var (symbol, item) in items)
        {
            var isExisting = item["existing"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.True;
            var loop = item["copy"] as JsonObject;
            var loopName = loop is null ? null : Text(loop["name"]);
            var iterations = Iterations(loop, loopName, parent?.Context ?? Context).ToList();
            foreach (var (index, context) in iterations)
            {
                var instance = Instance(item, context, parent);
                if (isExisting)
                {
                    if (symbol is not null)
                        existing[symbol] = instance;
                    continue;
                }
                instances.Add(instance);
                Name(symbol, instance);
                Name(loopName, instance);
                if (symbol is not null && index is { } i)
                    Name($"{symbol}[{i}]", instance);
                Expand(item["resources"], instance);
            }
        }
    }

    /// <summary>The iterations of a resource loop (one without an index when there is no loop).</summary>
    private static IEnumerable<(int? Index, TemplateContext Context)> Iterations(JsonObject? loop, string? loopName, TemplateContext context)
    {
        if (loop is null)
            return [(null, context)];
        try
        {
            return Enumerable.Range(0, CopyLoops.Count(loop, context)).Select(i => ((int?)i, context.WithCopyIndex(i, loopName)));
        }
        catch (Exception e) when (e is not TemplateException)
        {
            return [(0, context.WithCopyIndex(0, loopName))];
        }
    }

    private ResourceInstance Instance(JsonObject item, TemplateContext context, ResourceInstance? parent)
    {
        var type = Text(EvaluateDeep(item["type"], context));
        var name = Text(EvaluateDeep(item["name"], context));
        if (parent is not null && !type.Split('/')[0].Contains('.', StringComparison.Ordinal))
        {
            type = $"{parent.Type}/{type}";
            name = $"{parent.Name}/{name}";
        }
        var isDeployment = type.Equals(ResourceInstance.DeploymentType, StringComparison.OrdinalIgnoreCase);
        var id = ResourceIds.Compose(isDeployment || !item.ContainsKey("scope") ? GroupPrefix(item, context) : ScopePrefix(item, context), type, name);
        return new ResourceInstance(this, item, context, parent, type, name, id);
    }

    /// <summary>
    /// The group a resource's id starts with: the template's, or the one its <c>subscriptionId</c>
    /// and <c>resourceGroup</c> name (a nested deployment to another group, an existing resource there).
    /// </summary>
    private string GroupPrefix(JsonObject item, TemplateContext context) =>
        $"/subscriptions/{Key(item, "subscriptionId", context) ?? Target.SubscriptionId}/resourceGroups/{Key(item, "resourceGroup", context) ?? Target.ResourceGroup}";

    /// <summary>Where an extension resource's id starts: the resource it attaches to (<c>scope</c>).</summary>
    private string ScopePrefix(JsonObject item, TemplateContext context) => Key(item, "scope", context) switch
    {
        null => Target.ResourceGroupId,
        var scope when scope.StartsWith('/') => scope.TrimEnd('/'),
        var scope => $"{Target.ResourceGroupId}/providers/{scope}",
    };

    /// <summary>A key's text, or null when absent or not evaluable by the test double.</summary>
    private static string? Key(JsonObject item, string key, TemplateContext context) =>
        item.ContainsKey(key) && EvaluateDeep(item[key], context) is JsonValue value && Text(value) is { Length: > 0 } text && !text.StartsWith('[')
            ? text
            : null;

    private void Name(string? name, ResourceInstance instance)
    {
        if (name is null)
            return;
        if (!named.TryGetValue(name, out var list))
            named[name] = list = [];
        if (!list.Contains(instance))
            list.Add(instance);
    }

    /// <summary>The instances a dependsOn entry or a reference() names: a symbolic or loop name, an id, <c>type/name</c>, or a name.</summary>
    private IEnumerable<ResourceInstance> Matching(string target)
    {
        if (named.TryGetValue(target, out var list))
            return list;
        var byId = instances.Where(i => i.Id.Equals(target, StringComparison.OrdinalIgnoreCase)).ToList();
        if (byId.Count > 0)
            return byId;
        return instances.Where(i => $"{i.Type}/{i.Name}".Equals(target, StringComparison.OrdinalIgnoreCase) || i.Name.Equals(target, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The resources in deployment order. A nested deployment contributes its own resources, each
    /// of which then also waits for whatever the deployment waits for.
    /// </summary>
    private List<TemplateResource> Flatten()
    {
        var included = instances.Where(i => i.Included).ToList();
        var direct = included.ToDictionary(i => i, DirectDependencies);
        var waitsFor = new Dictionary<ResourceInstance, HashSet<string>>();
        var produced = new Dictionary<ResourceInstance, IReadOnlyList<TemplateResource>>();
        var resources = new List<TemplateResource>();
        foreach (var instance in DependencyOrder.Sort(included, i => direct[i], i => i.Id))
        {
            var waits = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var dependency in direct[instance])
            {
                waits.UnionWith(waitsFor[dependency]);
                waits.UnionWith(produced[dependency].Select(r => r.Id));
            }
            waitsFor[instance] = waits;
            IReadOnlyList<TemplateResource> own = instance.IsDeployment
                ? [.. instance.Nested.Resources.Select(r => r with { DependsOn = new HashSet<string>(r.DependsOn.Concat(waits), StringComparer.OrdinalIgnoreCase) })]
                : [new TemplateResource(instance.Id, instance.Type, instance.Name, instance.Definition) { DependsOn = waits }];
            produced[instance] = own;
            resources.AddRange(own);
        }
        return resources;
    }

    /// <summary>What an instance waits for: its <c>dependsOn</c> entries that are deployed, and the resource it is a child of.</summary>
    private List<ResourceInstance> DirectDependencies(ResourceInstance instance)
    {
        var dependencies = new List<ResourceInstance>();
        if (instance.Parent is { Included: true } parent)
            dependencies.Add(parent);
        foreach (var entry in instance.Declaration["dependsOn"] as JsonArray ?? [])
        {
            var target = Text(EvaluateDeep(entry, instance.Context));
            dependencies.AddRange(Matching(target).Where(d => d != instance && d.Included && !dependencies.Contains(d)));
        }
        return dependencies;
    }

    private JsonObject ReadOutputs()
    {
        var outputs = new JsonObject();
        foreach (var (name, node) in template["outputs"] as JsonObject ?? [])
        {
            if (node is not JsonObject output || !Holds(output, Context))
                continue;
            var type = Text(output["type"]);
            if (type.StartsWith("secure", StringComparison.OrdinalIgnoreCase))
                continue;
            outputs[name] = new JsonObject
            {
                ["type"] = ArmTypeName(type),
                ["value"] = output["copy"] is JsonObject loop ? OutputLoop(loop) : EvaluateDeep(output["value"], Context),
            };
        }
        return outputs;
    }

    private JsonNode? OutputLoop(JsonObject loop)
    {
        try
        {
            return CopyLoops.IterateOutput(loop, Context);
        }
        catch (Exception e) when (e is not TemplateException)
        {
            return loop.DeepClone();
        }
    }

    private static string ArmTypeName(string type) => type.Length == 0 ? "String" : char.ToUpperInvariant(type[0]) + type[1..];
}
