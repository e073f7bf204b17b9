using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.LocalArm.Faults;
using Serverless.LocalArm.Http;
using Serverless.LocalArm.State;

namespace Serverless.LocalArm.Routes;

/// <summary>
/// The test double's own control endpoints (no token needed): <c>/_localarm/faults</c> (POST a
/// rule or an array of rules, GET, DELETE), <c>/_localarm/stats</c>, <c>/_localarm/requests</c>, and
/// <c>/_localarm/subscriptions/{sub}/resourcegroups/{rg}/resources</c> (the definitions a group holds).
/// </summary>
internal static class ControlRoutes
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var control = app.MapGroup(ControlPaths.Prefix);
        control.MapPost("/faults", AddFaultsAsync);
        control.MapGet("/faults", (FaultSwitches faults) => Results.Json(faults.List(), ArmJson.Options));
        control.MapDelete("/faults", (FaultSwitches faults) =>
        {
            faults.Clear();
            return Results.NoContent();
        });
        control.MapGet("/stats", (ArmState state) => Results.Json(state.Stats(), ArmJson.Options));
        control.MapGet("/subscriptions/{subscriptionId}/resourcegroups/{resourceGroup}/resources", (string subscriptionId, string resourceGroup, ArmState state) =>
            Results.Json(new JsonArray([.. state.Resources(subscriptionId, resourceGroup).Select(r => r.Definition.DeepClone())]), ArmJson.Options));
        control.MapGet("/requests", (RequestJournal journal) => Results.Json(journal.Snapshot(), ArmJson.Options));
    }

    private static async Task<IResult> AddFaultsAsync(HttpRequest request, FaultSwitches faults)
    {
        try
        {
            var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            var rules = document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.Deserialize<FaultRule[]>(ArmJson.Options) ?? []
                : [document.RootElement.Deserialize<FaultRule>(ArmJson.Options)!];
            foreach (var rule in rules)
                faults.Add(rule);
            return Results.Json(faults.List(), ArmJson.Options);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return ArmErrors.BadRequest("InvalidFault", e.Message);
        }
    }
}
