using System.Text.Json.Nodes;
using Serverless.LocalArm.Faults;
using Serverless.LocalArm.Http;
using Serverless.LocalArm.State;

namespace Serverless.LocalArm.Routes;

/// <summary>
/// Deployments at resource-group scope: PUT (201 + Azure-AsyncOperation, idempotent for the
/// same template), GET, HEAD, the list, the operations list and the async operation status.
/// </summary>
internal static class DeploymentRoutes
{
    public const string Deployments = "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroup}/providers/Microsoft.Resources/deployments";
    private const string Deployment = Deployments + "/{deploymentName}";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPut(Deployment, PutAsync);
        app.MapGet(Deployment, Get);
        app.MapMethods(Deployment, [HttpMethods.Head], Head);
        app.MapGet(Deployments, List);
        app.MapGet(Deployment + "/operations", Operations);
        app.MapGet(Deployment + "/operationStatuses/{operationId}", Status);
    }

    private static async Task<IResult> PutAsync(
        string subscriptionId, string resourceGroup, string deploymentName, HttpRequest request,
        ArmState state, FaultSwitches faults, LocalArmOptions options)
    {
        var (body, error) = await ArmRequest.ReadObjectAsync(request);
        if (error is not null)
            return error;
        if (DeploymentBody.Read(body!) is not { } content)
            return DeploymentBody.Invalid(body!);
        var put = state.PutDeployment(subscriptionId, resourceGroup, deploymentName, content.Template, content.Parameters,
            content.Mode, body!["location"]?.GetValue<string>(), faults, request.Path, options.MinimumDeploymentDuration);
        return put.Outcome switch
        {
            PutOutcome.GroupNotFound => ArmErrors.ResourceGroupNotFound(resourceGroup),
            PutOutcome.InvalidTemplate => ArmErrors.BadRequest(put.Error!.Code, put.Error.Message),
            PutOutcome.Active => ArmErrors.Result(StatusCodes.Status409Conflict, "DeploymentActive",
                $"Unable to edit or replace deployment '{deploymentName}': previous deployment from '{put.Deployment!.StartedAt:O}' is still active (state: {put.Deployment.ProvisioningState}). Please see https://aka.ms/arm-deploy for usage details."),
            _ when put.Deployment!.IsTerminal => ArmResult.Ok(put.Body!),
            _ => new ArmResult(StatusCodes.Status201Created, put.Body, AsyncHeaders(request, put.Deployment, options)),
        };
    }

    private static IResult Get(string subscriptionId, string resourceGroup, string deploymentName, ArmState state) =>
        state.ReadDeployment(subscriptionId, resourceGroup, deploymentName, (d, now) => d.ToJson(now)) is { } deployment
            ? ArmResult.Ok(deployment)
            : NotFound(subscriptionId, resourceGroup, deploymentName, state);

    private static IResult Head(string subscriptionId, string resourceGroup, string deploymentName, ArmState state) =>
        Results.StatusCode(state.ReadDeployment(subscriptionId, resourceGroup, deploymentName, (d, _) => d) is not null
            ? StatusCodes.Status204NoContent
            : StatusCodes.Status404NotFound);

    private static IResult List(string subscriptionId, string resourceGroup, ArmState state) =>
        state.GroupExists(subscriptionId, resourceGroup)
            ? ArmResult.Ok(new JsonObject { ["value"] = state.ListDeployments(subscriptionId, resourceGroup) })
            : ArmErrors.ResourceGroupNotFound(resourceGroup);

    private static IResult Operations(string subscriptionId, string resourceGroup, string deploymentName, ArmState state) =>
        state.ReadDeployment(subscriptionId, resourceGroup, deploymentName, (d, now) => d.OperationsJson(now)) is { } operations
            ? ArmResult.Ok(operations)
            : NotFound(subscriptionId, resourceGroup, deploymentName, state);

    private static IResult Status(string operationId, ArmState state, LocalArmOptions options)
    {
        if (state.OperationStatus(operationId) is not { } found)
            return ArmErrors.Result(StatusCodes.Status404NotFound, "OperationNotFound", $"The operation '{operationId}' could not be found.");
        var (status, terminal) = found;
        return new ArmResult(StatusCodes.Status200OK, status, terminal ? null : ArmRequest.PollHeaders(options.PollInterval));
    }

    private static Dictionary<string, string> AsyncHeaders(HttpRequest request, DeploymentRecord deployment, LocalArmOptions options)
    {
        var headers = ArmRequest.PollHeaders(options.PollInterval);
        headers["Azure-AsyncOperation"] = ArmRequest.Absolute(request, $"{deployment.Id}/operationStatuses/{deployment.OperationId}").ToString();
        return headers;
    }

    private static ArmResult NotFound(string subscriptionId, string resourceGroup, string deploymentName, ArmState state) =>
        state.GroupExists(subscriptionId, resourceGroup)
            ? ArmErrors.DeploymentNotFound(resourceGroup, deploymentName)
            : ArmErrors.ResourceGroupNotFound(resourceGroup);
}
