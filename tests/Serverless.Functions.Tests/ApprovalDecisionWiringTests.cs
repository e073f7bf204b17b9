using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.LocalServices;
using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Definition;
using Serverless.Pipeline.Hosting;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Stacks;
using Serverless.Pipeline.Workflow;
using Serverless.Tests.Shared;

namespace Serverless.Functions.Tests;

/// <summary>
/// The Function App's decision route reaches the one decision operation: its adapter, over the Function App's own service
/// registrations and Azurite, refuses an Operator outside the stack's operators and a non-approver (both audited), and
/// records an approver's decision before it wakes the run.
/// </summary>
public sealed class ApprovalDecisionWiringTests : IAsyncLifetime
{
    private const string Stack = "wired-net";
    private readonly string _runId = $"{Stack}.{new string('a', 40)}";
    private readonly FakeEngine _engine = new();
    private Azurite _azurite = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _azurite = await Azurite.StartOnFreePortsAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = _azurite.ConnectionString,
            ["Storage:NamePrefix"] = "f" + Guid.NewGuid().ToString("N")[..8],
            ["Approvals:SigningKey"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
            ["Approvals:PublicBaseUrl"] = "https://pipeline.example",
        }).Build();
        _services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddPipeline(configuration).BuildServiceProvider();

        var registration = new StackRegistration("https://git.example/net.git",
            [new("prod", EnvironmentRegistration.ProductionKind, "22222222-2222-2222-2222-222222222222", "rg-wired-prod", "westeurope")],
            new ProductionRegistration(new ApproversRegistration(["alice@contoso.example"])), Operators: ["deploy-bot", "alice@contoso.example"]);
        await _services.GetRequiredService<StackStore>().SaveAsync(registration.ToDefinition(Stack, DateTimeOffset.UtcNow));
        var now = DateTimeOffset.UtcNow;
        await _services.GetRequiredService<ApprovalGate>().RequestAsync(new ApprovalGateRequest(_runId, Stack, "approval",
            new CommitInfo(new string('a', 40), "https://git.example/net.git", "change", "Ann <ann@contoso.example>"), "0123456789abcdef", "network",
            now, now.AddHours(1), new ApprovalPolicy(["alice@contoso.example"], [], 1, false, TimeSpan.FromHours(1)), [], ["Ann <ann@contoso.example>"]));
        _engine.SetRun(_runId, RunStatus.AwaitingApproval);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task The_Function_App_decides_through_the_one_decision_operation()
    {
        var functions = ActivatorUtilities.CreateInstance<ApprovalFunctions>(_services);

        var outsider = await DecideAsync(functions, "other-operator");
        var notApprover = await DecideAsync(functions, "deploy-bot");
        var namedSomeoneElse = await DecideAsync(functions, "deploy-bot", by: "alice@contoso.example");
        Assert.Empty(_engine.Raised);
        var approver = await DecideAsync(functions, "alice@contoso.example");

        Assert.Equal((403, "not-operator"), (outsider.Status, (string?)outsider.Body["reason"]));
        Assert.Equal((403, "not-allowed"), (notApprover.Status, (string?)notApprover.Body["reason"]));
        Assert.Equal(400, namedSomeoneElse.Status);
        Assert.Equal(202, approver.Status);
        Assert.Equal("alice@contoso.example", (string?)approver.Body["by"]);
        var trail = await _services.GetRequiredService<ApprovalStore>().ReadAsync(_runId);
        var decision = Assert.Single(trail.Decisions);
        Assert.Equal(("alice@contoso.example", true, "api"), (decision.By, decision.Verified, decision.Source));
        Assert.Equal(2, trail.Audit.Count(a => a.Outcome == ApprovalAudit.Refused));
        Assert.Contains(trail.Audit, a => a.Outcome == ApprovalAudit.Approved && a.Identity == "alice@contoso.example");
        Assert.Equal((_runId, PipelineNames.ApprovalDecisionEvent), (_engine.Raised.Single().InstanceId, _engine.Raised.Single().EventName));
    }

    private async Task<(int Status, JsonObject Body)> DecideAsync(ApprovalFunctions functions, string caller, string? by = null)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, caller), new Claim(ClaimTypes.Role, "Operator")], "AppServiceAuthentication"));
        var body = by is null ? """{"decision":"approve"}""" : $$"""{"decision":"approve","by":"{{by}}"}""";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = context.Request.Body.Length;
        context.Response.Body = new MemoryStream();

        var action = await functions.DecideApproval(context.Request, _runId, _engine);
        await action.ExecuteResultAsync(new ActionContext(context, new RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, JsonNode.Parse(context.Response.Body)!.AsObject());
    }
}
