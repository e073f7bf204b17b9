using System.Text.Json;
using System.Text.Json.Nodes;
using static Serverless.LocalArm.Templates.ExpressionEvaluator;
using static Serverless.LocalArm.Templates.Functions.TemplateFunctions;

namespace Serverless.LocalArm.Templates.Functions;

/// <summary>
/// Functions that read the template and where it is deployed: parameters, variables, copy
/// indexes, the resource group, subscription and deployment, resource ids, and <c>reference()</c>.
/// </summary>
internal static class ScopeFunctions
{
    public static void Register(Dictionary<string, TemplateFunction> functions)
    {
        functions["parameters"] = (args, context) => context.Parameter(Text(Arg(args, 0)));
        functions["variables"] = (args, context) => context.Variable(Text(Arg(args, 0)));
        functions["copyIndex"] = CopyIndex;
        functions["resourceGroup"] = (_, context) => ResourceGroup(context.Scope);
        functions["subscription"] = (_, context) => Subscription(context.Scope);
        functions["deployment"] = (_, context) => new JsonObject { ["name"] = context.Scope.DeploymentName, ["properties"] = new JsonObject() };
        functions["environment"] = (_, _) => Environment();
        functions["resourceId"] = (args, context) => JsonValue.Create(ResourceId(args, context.Scope));
        functions["subscriptionResourceId"] = (args, context) => JsonValue.Create(SubscriptionResourceId(args, context.Scope));
        functions["tenantResourceId"] = (args, _) => JsonValue.Create(ResourceIds.Compose("", Text(Arg(args, 0)), Names(args, 1)));
        functions["extensionResourceId"] = (args, _) => JsonValue.Create(ResourceIds.Compose(Text(Arg(args, 0)), Text(Arg(args, 1)), Names(args, 2)));
        functions["reference"] = Reference;
    }

    /// <summary><c>copyIndex()</c>, <c>copyIndex(offset)</c>, <c>copyIndex('loop')</c>, <c>copyIndex('loop', offset)</c>.</summary>
    private static JsonNode CopyIndex(JsonNode?[] args, TemplateContext context)
    {
        var loop = args.Length > 0 && args[0] is JsonValue first && first.GetValueKind() == JsonValueKind.String ? first.GetValue<string>() : null;
        var offset = args.Length > 0 && args[^1] is JsonValue last && last.GetValueKind() == JsonValueKind.Number ? Integer(last) : 0;
        int? index = loop is null ? context.CopyIndex : context.Loops.TryGetValue(loop, out var named) ? named : null;
        return JsonValue.Create((index ?? throw new UnsupportedExpressionException($"copyIndex({loop}) outside its copy loop.")) + offset);
    }

    /// <summary><c>reference(resourceId or symbolic name, [apiVersion], ['Full'])</c>: a resource or a nested deployment of this template, or a resource deployed before.</summary>
    private static JsonNode? Reference(JsonNode?[] args, TemplateContext context)
    {
        var full = args.Length > 2 && Text(args[2]).Equals("full", StringComparison.OrdinalIgnoreCase);
        return (context.Evaluation ?? throw new UnsupportedExpressionException("reference() outside a template's resources."))
            .Reference(Text(Arg(args, 0)), full);
    }

    private static JsonObject ResourceGroup(DeploymentScope scope) => new()
    {
        ["id"] = scope.ResourceGroupId,
        ["name"] = scope.ResourceGroup,
        ["type"] = "Microsoft.Resources/resourceGroups",
        ["location"] = scope.Location,
        ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
    };

    private static JsonObject Subscription(DeploymentScope scope) => new()
    {
        ["id"] = scope.SubscriptionResourceId,
        ["subscriptionId"] = scope.SubscriptionId,
        ["tenantId"] = LocalTenant.Id,
        ["displayName"] = "LocalArm test double subscription",
    };

    /// <summary>The public Azure cloud's endpoints, as <c>environment()</c> gives them.</summary>
    private static JsonObject Environment() => new()
    {
        ["name"] = "AzureCloud",
        ["resourceManager"] = "https://management.azure.com/",
        ["portal"] = "https://portal.azure.com",
        ["authentication"] = new JsonObject { ["loginEndpoint"] = "https://login.microsoftonline.com/", ["tenant"] = "common" },
        ["suffixes"] = new JsonObject
        {
            ["storage"] = "core.windows.net",
            ["keyvaultDns"] = ".vault.azure.net",
            ["sqlServerHostname"] = ".database.windows.net",
            ["acrLoginServer"] = ".azurecr.io",
        },
    };

    /// <summary><c>resourceId([subscriptionId], [resourceGroupName], type, name1, name2...)</c>.</summary>
    private static string ResourceId(JsonNode?[] args, DeploymentScope scope)
    {
        var texts = args.Select(Text).ToList();
        var typeAt = TypeIndex(texts);
        var target = typeAt switch
        {
            0 => scope,
            1 => scope with { ResourceGroup = texts[0] },
            _ => scope with { SubscriptionId = texts[0], ResourceGroup = texts[1] },
        };
        return target.ResourceId(texts[typeAt], string.Join('/', texts.Skip(typeAt + 1)));
    }

    /// <summary><c>subscriptionResourceId([subscriptionId], type, name1, name2...)</c>.</summary>
    private static string SubscriptionResourceId(JsonNode?[] args, DeploymentScope scope)
    {
        var texts = args.Select(Text).ToList();
        var typeAt = TypeIndex(texts);
        var subscription = typeAt == 0 ? scope.SubscriptionId : texts[0];
        return ResourceIds.Compose($"/subscriptions/{subscription}", texts[typeAt], string.Join('/', texts.Skip(typeAt + 1)));
    }

    private static int TypeIndex(List<string> texts)
    {
        var typeAt = texts.FindIndex(t => t.Contains('/', StringComparison.Ordinal) && t.Split('/')[0].Contains('.', StringComparison.Ordinal));
        return typeAt >= 0 ? typeAt : throw new UnsupportedExpressionException("A resource id function without a resource type.");
    }

    private static string Names(JsonNode?[] args, int from) => string.Join('/', args.Skip(from).Select(Text));
}
