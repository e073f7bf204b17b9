using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// What one deployment sends: the template, its parameters, the mode (always Incremental), and a
/// fingerprint of the three. The fingerprint travels as a deployment tag
/// (<see cref="FingerprintTag"/>) so that a later call can tell whether a deployment that already
/// succeeded under this name deployed exactly this content.
/// </summary>
internal sealed record DeploymentContent(JsonObject Template, JsonObject Parameters, string Fingerprint)
{
    public const string Mode = "Incremental";

    public const string FingerprintTag = "pipeline-content-sha256";

    public static DeploymentContent Read(string template, string? parameters)
    {
        var templateObject = ParseObject(template, "template") ?? throw new PermanentArmException("The ARM template is empty.");
        if (templateObject["resources"] is null)
            throw new PermanentArmException("The ARM template has no 'resources'; is it a compiled ARM JSON template?");
        var parametersObject = ParametersOf(ParseObject(parameters, "parameters file"));
        var canonical = $"{templateObject.ToJsonString()}\n{parametersObject.ToJsonString()}\n{Mode}";
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        return new DeploymentContent(templateObject, parametersObject, fingerprint);
    }

    /// <summary>The body of the deployment PUT.</summary>
    public JsonObject DeploymentBody() => new()
    {
        ["tags"] = new JsonObject { [FingerprintTag] = Fingerprint },
        ["properties"] = Properties(),
    };

    /// <summary>The body of the what-if POST.</summary>
    public JsonObject WhatIfBody() => new() { ["properties"] = Properties() };

    /// <summary>The fingerprint a deployment carries, or null when it carries none (the server kept no tags).</summary>
    public static string? FingerprintOf(JsonNode? deployment) =>
        deployment?["tags"]?[FingerprintTag] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private JsonObject Properties() => new()
    {
        ["mode"] = Mode,
        ["template"] = Template.DeepClone(),
        ["parameters"] = Parameters.DeepClone(),
    };

    /// <summary>
    /// The parameters object of a deployment parameters file; a bare <c>{"name": {"value": ...}}</c>
    /// object is taken as it is.
    /// </summary>
    private static JsonObject ParametersOf(JsonObject? file)
    {
        if (file is null)
            return [];
        var isFile = file.ContainsKey("$schema") || file.ContainsKey("contentVersion")
            || (file["parameters"] is JsonObject inner && !inner.ContainsKey("value") && !inner.ContainsKey("reference"));
        if (!isFile)
            return file;
        return file["parameters"] switch
        {
            JsonObject parameters => (JsonObject)parameters.DeepClone(),
            null => [],
            _ => throw new PermanentArmException("The parameters file's 'parameters' is not a JSON object."),
        };
    }

    private static JsonObject? ParseObject(string? json, string what)
    {
        if (string.IsNullOrWhiteSpace(json))
            return null;
        try
        {
            return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new PermanentArmException($"The {what} is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new PermanentArmException($"The {what} is not valid JSON: {e.Message}", inner: e);
        }
    }
}
