using System.Text.Json.Nodes;

namespace Serverless.LocalArm.Http;

/// <summary>ARM's error shape: <c>{"error":{"code","message","target","details":[...]}}</c>.</summary>
internal static class ArmErrors
{
    public static JsonObject Error(string code, string message, string? target = null, JsonArray? details = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (target is not null)
            error["target"] = target;
        if (details is not null)
            error["details"] = details;
        return error;
    }

    public static ArmResult Result(int status, string code, string message, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, new JsonObject { ["error"] = Error(code, message) }, headers);

    public static ArmResult BadRequest(string code, string message) => Result(StatusCodes.Status400BadRequest, code, message);

    public static ArmResult ResourceGroupNotFound(string resourceGroup) =>
        Result(StatusCodes.Status404NotFound, "ResourceGroupNotFound", $"Resource group '{resourceGroup}' could not be found.");

    public static ArmResult DeploymentNotFound(string resourceGroup, string deployment) =>
        Result(StatusCodes.Status404NotFound, "DeploymentNotFound", $"Deployment '{deployment}' could not be found in resource group '{resourceGroup}'.");
}
