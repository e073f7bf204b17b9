using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Stacks;
using Serverless.Pipeline.Http;

namespace Serverless.Pipeline.Metrics;

/// <summary>
/// Incidents: opened and resolved through the API or by Azure Monitor alerts (common alert schema). An incident
/// linked to a run marks that run's release as needing remediation, which the change failure rate counts.
/// </summary>
public sealed class IncidentApi(
    IncidentStore incidents,
    DeliveryRecorder recorder,
    StackStore stacks,
    RunStore runs,
    ChangeLedger changes,
    TimeProvider clock,
    ILogger<IncidentApi> log)
{
    public const int AlertBodyLimit = 256 * 1024;

    public async Task<IResult> OpenAsync(HttpRequest request)
    {
        var cancellation = request.HttpContext.RequestAborted;
        var (body, problem) = await JsonBody.ReadAsync<OpenIncidentRequest>(request);
        if (problem is not null) return problem;
        var errors = body!.Validate(clock.GetUtcNow());
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await stacks.FindAsync(body.Stack!, cancellation) is null)
            return Problems.NotFound($"There is no stack '{body.Stack}'.");
        var (runId, linkProblem) = await FindRunAsync(body.Stack!, body.RunId, body.Commit, cancellation);
        if (linkProblem is not null) return linkProblem;

        var incident = new IncidentFact(IncidentStore.NewId(), body.Stack!, body.Environment!, body.Title!.Trim(),
            body.OpenedAt!.Value.ToUniversalTime(), null, runId, IncidentRules.ApiSource);
        await CreateAsync(incident, cancellation);
        return Results.Json(IncidentView.From(incident), ApiJson.Options, statusCode: StatusCodes.Status201Created)
            .WithLocation(MetricsRoutes.IncidentPath(incident.Id));
    }

    public async Task<IResult> GetAsync(HttpRequest request, string id)
    {
        if (!IncidentStore.IsValidId(id)) return Problems.NotFound($"There is no incident '{id}'.");
        var incident = await incidents.FindAsync(id, request.HttpContext.RequestAborted);
        return incident is null ? Problems.NotFound($"There is no incident '{id}'.") : Results.Json(IncidentView.From(incident), ApiJson.Options);
    }

    public async Task<IResult> ResolveAsync(HttpRequest request, string id)
    {
        var cancellation = request.HttpContext.RequestAborted;
        var (body, problem) = await JsonBody.ReadAsync<ResolveIncidentRequest>(request);
        if (problem is not null) return problem;
        if (body!.ResolvedAt is not { } resolvedAt)
            return Problems.Invalid(new Dictionary<string, string[]> { ["resolvedAt"] = ["resolvedAt is required: when service was restored, as an ISO 8601 time."] });
        if (resolvedAt > clock.GetUtcNow() + IncidentRules.ClockSkew)
            return Problems.Invalid(new Dictionary<string, string[]> { ["resolvedAt"] = ["resolvedAt is in the future."] });
        if (!IncidentStore.IsValidId(id)) return Problems.NotFound($"There is no incident '{id}'.");
        var incident = await incidents.FindAsync(id, cancellation);
        if (incident is null) return Problems.NotFound($"There is no incident '{id}'.");
        if (resolvedAt < incident.OpenedAt)
            return Problems.Invalid(new Dictionary<string, string[]> { ["resolvedAt"] = [$"resolvedAt ({resolvedAt:O}) is before the incident was opened ({incident.OpenedAt:O})."] });

        var resolved = await incidents.ResolveAsync(id, resolvedAt.ToUniversalTime(), cancellation);
        return Results.Json(IncidentView.From(resolved!), ApiJson.Options);
    }

    /// <summary>
    /// An Azure Monitor alert in the common alert schema. <c>Fired</c> opens the incident of the alert (its id is
    /// derived from <c>essentials.alertId</c>, so a repeated notification changes nothing), <c>Resolved</c> resolves
    /// it (opening it first if the Fired notification never came). The stack and environment come from the alert
    /// rule's custom properties <c>stack</c> and <c>environment</c>; a <c>runId</c> or <c>commit</c> property links it.
    /// </summary>
    public async Task<IResult> ReceiveAlertAsync(HttpRequest request)
    {
        var cancellation = request.HttpContext.RequestAborted;
        var (body, problem) = await JsonBody.ReadAsync<JsonObject>(request, AlertBodyLimit);
        if (problem is not null) return problem;
        var (alert, error) = AzureMonitorAlert.Read(body!);
        if (alert is null) return Problems.BadRequest(error!);
        if (alert.FiredAt > clock.GetUtcNow() + IncidentRules.ClockSkew) return Problems.BadRequest("essentials.firedDateTime is in the future.");
        if (await stacks.FindAsync(alert.Stack, cancellation) is null)
            return Problems.NotFound($"There is no stack '{alert.Stack}' (from the alert's custom property 'stack').");

        var id = IncidentStore.IdForAlert(alert.AlertId);
        var incident = await incidents.FindAsync(id, cancellation);
        var created = false;
        if (incident is null)
        {
            var (runId, linkProblem) = await FindRunAsync(alert.Stack, alert.RunId, alert.Commit, cancellation);
            if (linkProblem is not null) return linkProblem;
            incident = new IncidentFact(id, alert.Stack, alert.Environment, alert.Title, alert.FiredAt, null, runId, IncidentRules.AzureMonitorSource, alert.AlertId);
            created = await CreateAsync(incident, cancellation);
            incident = await incidents.FindAsync(id, cancellation) ?? incident;
        }
        if (alert.Resolved && incident.ResolvedAt is null)
        {
            var resolvedAt = alert.ResolvedAt ?? clock.GetUtcNow();
            if (resolvedAt < incident.OpenedAt) resolvedAt = incident.OpenedAt;
            incident = await incidents.ResolveAsync(id, resolvedAt, cancellation) ?? incident;
        }
        log.LogInformation("Azure Monitor alert {AlertRule} {Condition}: incident {Id}", alert.Title, alert.Resolved ? "resolved" : "fired", id);
        var view = Results.Json(IncidentView.From(incident), ApiJson.Options, statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        return created ? view.WithLocation(MetricsRoutes.IncidentPath(id)) : view;
    }

    private async Task<bool> CreateAsync(IncidentFact incident, CancellationToken cancellation)
    {
        var created = await incidents.CreateAsync(incident, cancellation);
        if (created && incident.RunId is { } runId)
            await recorder.LinkIncidentAsync(incident.Stack, runId, incident.Id, cancellation);
        log.LogInformation("Incident {Id} opened on {Stack}/{Environment}{Link}", incident.Id, incident.Stack, incident.Environment,
            incident.RunId is null ? "" : $", linked to {incident.RunId}");
        return created;
    }

    /// <summary>The run a link names: a run id of the stack, or a commit that is a run's head or one of the commits a run delivers.</summary>
    private async Task<(string? RunId, IResult? Problem)> FindRunAsync(string stack, string? runId, string? commit, CancellationToken cancellation)
    {
        if (runId is not null)
        {
            if (!RunId.TryParse(runId, out var id) || id.Stack != stack)
                return (null, Problems.BadRequest($"'{runId}' is not the id of a run of stack '{stack}'."));
            return await runs.GetAsync(id, cancellation) is null
                ? (null, Problems.BadRequest($"There is no run '{runId}' to link the incident to."))
                : (runId, null);
        }
        if (commit is null) return (null, null);
        if (!CommitId.IsValid(commit)) return (null, Problems.BadRequest($"The commit '{commit}' is not a commit id: it must be {CommitId.Rule}."));
        var headRun = RunId.For(stack, commit);
        if (await runs.GetAsync(headRun, cancellation) is not null) return (headRun.ToString(), null);
        var (_, deliveredBy) = await changes.FindAsync(stack, CommitId.Normalize(commit), cancellation);
        return deliveredBy is not null
            ? (deliveredBy, null)
            : (null, Problems.BadRequest($"No run of stack '{stack}' delivered commit '{commit}'."));
    }
}
