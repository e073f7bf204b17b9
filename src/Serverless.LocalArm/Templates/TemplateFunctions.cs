using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Serverless.LocalArm.Templates.ExpressionEvaluator;

namespace Serverless.LocalArm.Templates;

/// <summary>
/// The template functions the test double knows. <c>uniqueString</c> and <c>guid</c> are
/// deterministic like ARM's but do not give ARM's exact values.
/// </summary>
internal static class TemplateFunctions
{
    public static JsonNode? Call(string function, JsonNode?[] args, TemplateContext context) => function.ToLowerInvariant() switch
    {
        "parameters" => context.Parameter(Text(Arg(args, 0))),
        "variables" => context.Variable(Text(Arg(args, 0))),
        "concat" => Concat(args),
        "format" => JsonValue.Create(string.Format(CultureInfo.InvariantCulture, Text(Arg(args, 0)), [.. args.Skip(1).Select(Text)])),
        "resourcegroup" => ResourceGroup(context.Scope),
        "subscription" => Subscription(context.Scope),
        "deployment" => new JsonObject { ["name"] = context.Scope.DeploymentName, ["properties"] = new JsonObject() },
        "resourceid" => JsonValue.Create(ResourceId(args, context.Scope)),
        "uniquestring" => JsonValue.Create(UniqueString(args)),
        "guid" => JsonValue.Create(DeterministicGuid(args)),
        "tolower" => JsonValue.Create(Text(Arg(args, 0)).ToLowerInvariant()),
        "toupper" => JsonValue.Create(Text(Arg(args, 0)).ToUpperInvariant()),
        "trim" => JsonValue.Create(Text(Arg(args, 0)).Trim()),
        "replace" => JsonValue.Create(Text(Arg(args, 0)).Replace(Text(Arg(args, 1)), Text(Arg(args, 2)), StringComparison.Ordinal)),
        "string" => JsonValue.Create(Text(Arg(args, 0))),
        "int" => JsonValue.Create(Integer(Arg(args, 0))),
        "bool" => JsonValue.Create(Boolean(Arg(args, 0))),
        "length" => JsonValue.Create(Length(Arg(args, 0))),
        "empty" => JsonValue.Create(Length(Arg(args, 0)) == 0),
        "equals" => JsonValue.Create(JsonNode.DeepEquals(Arg(args, 0), Arg(args, 1))),
        "not" => JsonValue.Create(!Boolean(Arg(args, 0))),
        "and" => JsonValue.Create(args.All(Boolean)),
        "or" => JsonValue.Create(args.Any(Boolean)),
        "if" => (Boolean(Arg(args, 0)) ? Arg(args, 1) : Arg(args, 2))?.DeepClone(),
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        "null" => null,
        "coalesce" => args.FirstOrDefault(a => a is not null)?.DeepClone(),
        "copyindex" => JsonValue.Create((context.CopyIndex ?? throw new UnsupportedExpressionException("copyIndex() outside a copy loop."))
            + (args.Length > 0 && args[^1] is JsonValue offset && offset.GetValueKind() == JsonValueKind.Number ? offset.GetValue<long>() : 0)),
        _ => throw new UnsupportedExpressionException($"The test double does not evaluate '{function}()'."),
    };

    private static JsonNode? Arg(JsonNode?[] args, int index) =>
        index < args.Length ? args[index] : throw new UnsupportedExpressionException($"Missing argument {index + 1}.");

    private static JsonNode Concat(JsonNode?[] args)
    {
        if (args.Length > 0 && args.All(a => a is JsonArray))
            return new JsonArray([.. args.SelectMany(a => ((JsonArray)a!).Select(item => item?.DeepClone()))]);
        return JsonValue.Create(string.Concat(args.Select(Text)));
    }

    private static long Length(JsonNode? value) => value switch
    {
        JsonArray array => array.Count,
        JsonObject obj => obj.Count,
        _ => Text(value).Length,
    };

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

    /// <summary><c>resourceId([subscriptionId], [resourceGroupName], type, name1, name2...)</c>.</summary>
    private static string ResourceId(JsonNode?[] args, DeploymentScope scope)
    {
        var texts = args.Select(Text).ToList();
        var typeAt = texts.FindIndex(t => t.Contains('/', StringComparison.Ordinal) && t.Split('/')[0].Contains('.', StringComparison.Ordinal));
        if (typeAt < 0)
            throw new UnsupportedExpressionException("resourceId() without a resource type.");
        var target = typeAt switch
        {
            0 => scope,
            1 => scope with { ResourceGroup = texts[0] },
            _ => scope with { SubscriptionId = texts[0], ResourceGroup = texts[1] },
        };
        return target.ResourceId(texts[typeAt], string.Join('/', texts.Skip(typeAt + 1)));
    }

    private static string UniqueString(JsonNode?[] args)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('-', args.Select(Text))));
        var bits = BitConverter.ToUInt64(hash, 0);
        var text = new char[13];
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = alphabet[(int)(bits & 31)];
            bits >>= 5;
        }
        return new string(text);
    }

    private static string DeterministicGuid(JsonNode?[] args)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('-', args.Select(Text))));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}

/// <summary>The tenant every subscription of the test double belongs to.</summary>
internal static class LocalTenant
{
    public const string Id = "00000000-0000-0000-0000-00000000a4a4";
}
