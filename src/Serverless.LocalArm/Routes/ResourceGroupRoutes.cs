using System.Text.Json.Nodes;
using Serverless.LocalArm.Http;
using Serverless.LocalArm.State;

namespace Serverless.LocalArm.Routes;

/// <summary><c>/subscriptions/{sub}/resourcegroups/{rg}</c>: PUT, GET, HEAD, DELETE, and the list.</summary>
internal static class ResourceGroupRoutes
{
    private const string Group = "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroup}";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPut(Group, PutAsync);
        app.MapGet(Group, Get);
        app.MapMethods(Group, [HttpMethods.Head], Head);
        app.MapDelete(Group, Delete);
        app.MapGet("/subscriptions/{subscriptionId}/resourcegroups", List);
    }

    private static async Task<IResult> PutAsync(string subscriptionId, string resourceGroup, HttpRequest request, ArmState state)
    {
        var (body, error) = await ArmRequest.ReadObjectAsync(request);
        if (error is not null)
            return error;
        if (body!["location"]?.GetValue<string>() is not { Length: > 0 } location)
            return ArmErrors.BadRequest("LocationRequired", "The location property is required for this definition.");
        var (group, created) = state.PutResourceGroup(subscriptionId, resourceGroup, location, body["tags"]?.DeepClone() as JsonObject);
        return new ArmResult(created ? StatusCodes.Status201Created : StatusCodes.Status200OK, group);
    }

    private static IResult Get(string subscriptionId, string resourceGroup, ArmState state) =>
        state.GetResourceGroup(subscriptionId, resourceGroup) is { } group
            ? ArmResult.Ok(group)
            : ArmErrors.ResourceGroupNotFound(resourceGroup);

    private static IResult Head(string subscriptionId, string resourceGroup, ArmState state) =>
        Results.StatusCode(state.GroupExists(subscriptionId, resourceGroup) ? StatusCodes.Status204NoContent : StatusCodes.Status404NotFound);

    private static IResult Delete(string subscriptionId, string resourceGroup, ArmState state) =>
        state.DeleteResourceGroup(subscriptionId, resourceGroup)
            ? Results.Ok()
            : ArmErrors.ResourceGroupNotFound(resourceGroup);

    private static IResult List(string subscriptionId, ArmState state) =>
        ArmResult.Ok(new JsonObject { ["value"] = state.ListResourceGroups(subscriptionId) });
}
