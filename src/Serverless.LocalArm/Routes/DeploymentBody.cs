using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.LocalArm.Http;

namespace Serverless.LocalArm.Routes;

/// <summary>The <c>properties</c> of a deployment or what-if request: an inline template, its parameters, the mode.</summary>
internal sealed record DeploymentBody(JsonObject Template, JsonObject? Parameters, string Mode)
{
    public static DeploymentBody? Read(JsonObject body)
    {
        if (body["properties"] is not JsonObject properties || properties["template"] is not JsonObject template)
            return null;
        var mode = properties["mode"] is JsonValue m && m.GetValueKind() == JsonValueKind.String ? m.GetValue<string>() : "Incremental";
        if (!mode.Equals("Incremental", StringComparison.OrdinalIgnoreCase) && !mode.Equals("Complete", StringComparison.OrdinalIgnoreCase))
            return null;
        return new DeploymentBody(template, properties["parameters"] as JsonObject, mode);
    }

    public static ArmResult Invalid(JsonObject body)
    {
        var properties = body["properties"] as JsonObject;
        if (properties?["templateLink"] is not null)
            return ArmErrors.BadRequest("InvalidRequestContent", "LocalArm (a test double) supports inline templates only, not templateLink.");
        if (properties?["template"] is not JsonObject)
            return ArmErrors.BadRequest("InvalidRequestContent", "The request content must have properties.template, an inline ARM JSON template.");
        return ArmErrors.BadRequest("InvalidDeploymentMode", "The deployment mode must be 'Incremental' or 'Complete'.");
    }
}
