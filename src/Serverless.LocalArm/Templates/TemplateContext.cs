using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Serverless.LocalArm.Templates;

/// <summary>
/// What expressions in one template can see: its parameters (supplied values, else evaluated
/// defaults), its variables (evaluated lazily, once, including <c>copy</c> variable loops), its
/// user-defined functions, the scope, the copy indexes in force, and the evaluation of the
/// template's resources that <c>reference()</c> reads.
/// </summary>
internal sealed class TemplateContext
{
    private readonly Declarations declarations;

    private TemplateContext(Declarations declarations, DeploymentScope scope, TemplateEvaluation? evaluation, int? copyIndex, ImmutableDictionary<string, int> loops)
    {
        this.declarations = declarations;
        Scope = scope;
        Evaluation = evaluation;
        CopyIndex = copyIndex;
        Loops = loops;
    }

    /// <summary>The context of a template: its own parameters, variables and functions.</summary>
    public static TemplateContext ForTemplate(JsonObject template, JsonObject? supplied, DeploymentScope scope) => new(
        new Declarations(
            template["parameters"] as JsonObject ?? [],
            template["variables"] as JsonObject ?? [],
            supplied ?? [],
            UserFunctions.Read(template)),
        scope, evaluation: null, copyIndex: null, ImmutableDictionary<string, int>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase));

    public DeploymentScope Scope { get; }

    /// <summary>The resources of the template being evaluated, for <c>reference()</c>; null inside a user-defined function.</summary>
    public TemplateEvaluation? Evaluation { get; }

    /// <summary>The index of the resource or output loop in force: <c>copyIndex()</c>.</summary>
    public int? CopyIndex { get; }

    /// <summary>The indexes of named loops in force: <c>copyIndex('name')</c>.</summary>
    public ImmutableDictionary<string, int> Loops { get; }

    public JsonObject DeclaredParameters => declarations.Parameters;

    public UserFunctions Functions => declarations.Functions;

    /// <summary>The same context inside one iteration of a resource or output loop (named for resource loops).</summary>
    public TemplateContext WithCopyIndex(int index, string? loopName = null) =>
        new(declarations, Scope, Evaluation, index, loopName is null ? Loops : Loops.SetItem(loopName, index));

    /// <summary>The same context inside one iteration of a named property or variable loop.</summary>
    public TemplateContext WithLoop(string name, int index) => new(declarations, Scope, Evaluation, CopyIndex, Loops.SetItem(name, index));

    /// <summary>The same parameters and variables, evaluating another template's resources (a nested template of outer scope).</summary>
    public TemplateContext WithEvaluation(TemplateEvaluation evaluation) => new(declarations, Scope, evaluation, CopyIndex, Loops);

    /// <summary>
    /// The context of a user-defined function's body: its parameters are the arguments; ARM gives
    /// it no template parameters, no variables and no <c>reference()</c>, but the template's functions.
    /// </summary>
    public TemplateContext ForFunction(JsonObject declaredParameters, JsonObject arguments) =>
        new(new Declarations(declaredParameters, [], arguments, declarations.Functions), Scope, evaluation: null, copyIndex: null, Loops.Clear());

    public JsonNode? Parameter(string name) => declarations.Resolve("parameters:" + name, () =>
    {
        if (Find(declarations.Supplied, name) is JsonObject supplied)
        {
            if (supplied.ContainsKey("value"))
                return supplied["value"]?.DeepClone();
            if (supplied["reference"] is JsonObject keyVault)
                return KeyVaultPlaceholder(keyVault);
        }
        if (Find(declarations.Parameters, name) is not JsonObject declared)
            throw new TemplateException("InvalidTemplate", $"Deployment template validation failed: 'The template parameter '{name}' is not found.'");
        if (!declared.ContainsKey("defaultValue"))
            throw new TemplateException("InvalidTemplate", $"Deployment template validation failed: 'The value for the template parameter '{name}' is not provided.'");
        return ExpressionEvaluator.EvaluateDeep(declared["defaultValue"], Unlooped);
    });

    public JsonNode? Variable(string name) => declarations.Resolve("variables:" + name, () =>
    {
        if (VariableLoop(name) is JsonObject loop)
            return CopyLoops.Iterate(loop, Unlooped, ExpressionEvaluator.EvaluateDeep);
        if (name.Equals("copy", StringComparison.OrdinalIgnoreCase) || !TryFind(declarations.Variables, name, out var value))
            throw new TemplateException("InvalidTemplate", $"Deployment template validation failed: 'The template variable '{name}' is not found.'");
        return ExpressionEvaluator.EvaluateDeep(value, Unlooped);
    });

    /// <summary>Parameters and variables are values of the template, the same in every loop: they are evaluated outside them.</summary>
    private TemplateContext Unlooped => CopyIndex is null && Loops.IsEmpty ? this : new(declarations, Scope, Evaluation, null, Loops.Clear());

    private JsonObject? VariableLoop(string name) => (declarations.Variables["copy"] as JsonArray)?
        .OfType<JsonObject>()
        .FirstOrDefault(loop => string.Equals(ExpressionEvaluator.Text(loop["name"]), name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A Key Vault reference in the parameters: the test double reads no Key Vault, so the value is
    /// a fixed text that names the secret.
    /// </summary>
    private static JsonValue KeyVaultPlaceholder(JsonObject reference) => JsonValue.Create(
        $"localarm-keyvault-secret:{ExpressionEvaluator.Text(reference["keyVault"]?["id"])}/{ExpressionEvaluator.Text(reference["secretName"])}");

    internal static JsonNode? Find(JsonObject container, string name) => TryFind(container, name, out var value) ? value : null;

    internal static bool TryFind(JsonObject container, string name, out JsonNode? value)
    {
        foreach (var (key, node) in container)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                value = node;
                return true;
            }
        }
        value = null;
        return false;
    }

    /// <summary>One template's declarations and the values already computed from them (shared by every copy of the context).</summary>
    private sealed class Declarations(JsonObject parameters, JsonObject variables, JsonObject supplied, UserFunctions functions)
    {
        private readonly Dictionary<string, JsonNode?> resolved = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> resolving = new(StringComparer.OrdinalIgnoreCase);

        public JsonObject Parameters { get; } = parameters;

        public JsonObject Variables { get; } = variables;

        public JsonObject Supplied { get; } = supplied;

        public UserFunctions Functions { get; } = functions;

        public JsonNode? Resolve(string key, Func<JsonNode?> compute)
        {
            if (resolved.TryGetValue(key, out var known))
                return known?.DeepClone();
            if (!resolving.Add(key))
                throw new TemplateException("InvalidTemplate", $"Deployment template validation failed: circular reference through {key}.");
            try
            {
                var value = compute();
                resolved[key] = value;
                return value?.DeepClone();
            }
            finally
            {
                resolving.Remove(key);
            }
        }
    }
}
