using Serverless.LocalArm.Http;
using Serverless.LocalArm.State;
using Serverless.LocalArm.Templates;

namespace Serverless.LocalArm.Routes;

/// <summary>
/// What-if: <c>POST .../deployments/{name}/whatIf</c> answers 202 with a Location; that URL
/// answers 200 with <c>{"status":"Succeeded","properties":{"changes":[...]}}</c>.
/// </summary>
internal static class WhatIfRoutes
{
    private const string Results = "/subscriptions/{subscriptionId}/operationresults/{operationId}";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(DeploymentRoutes.Deployments + "/{deploymentName}/whatIf", PostAsync);
        app.MapGet(Results, Get);
    }

    private static async Task<IResult> PostAsync(
        string subscriptionId, string resourceGroup, string deploymentName, HttpRequest request, ArmState state, LocalArmOptions options)
    {
        var (body, error) = await ArmRequest.ReadObjectAsync(request);
        if (error is not null)
            return error;
        if (DeploymentBody.Read(body!) is not { } content)
            return DeploymentBody.Invalid(body!);
        WhatIfRecord? record;
        try
        {
            record = state.StartWhatIf(subscriptionId, resourceGroup, deploymentName, content.Template, content.Parameters, content.Mode);
        }
        catch (TemplateException e)
        {
            return ArmErrors.BadRequest(e.Code, e.Message);
        }
        if (record is null)
            return ArmErrors.ResourceGroupNotFound(resourceGroup);
        var headers = ArmRequest.PollHeaders(options.PollInterval);
        headers["Location"] = ArmRequest.Absolute(request, $"/subscriptions/{subscriptionId}/operationresults/{record.Id}").ToString();
        return new ArmResult(StatusCodes.Status202Accepted, null, headers);
    }

    private static IResult Get(string operationId, ArmState state) =>
        state.GetWhatIf(operationId) is { } record
            ? ArmResult.Ok(record.ToJson())
            : ArmErrors.Result(StatusCodes.Status404NotFound, "OperationNotFound", $"The operation '{operationId}' could not be found.");
}
