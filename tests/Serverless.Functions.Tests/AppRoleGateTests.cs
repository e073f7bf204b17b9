using Serverless.Tests.Shared;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Functions.Security;
using Serverless.Pipeline.Hosting;
using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Security;

namespace Serverless.Functions.Tests;

/// <summary>
/// The Function App's app-role check: what App Service authentication's principal may call, by the same access policy
/// as LocalHost; and every HTTP function of the app found in that policy by its name.
/// </summary>
public sealed class AppRoleGateTests
{
    private static readonly RouteAccess StartRun = PipelineSurface.FindEndpoint("StartRun")!.Access;
    private static readonly RouteAccess ListRuns = PipelineSurface.FindEndpoint("ListRuns")!.Access;
    private static readonly RouteAccess RegisterStack = PipelineSurface.FindEndpoint("RegisterStack")!.Access;
    private static readonly RouteAccess GitHubWebhook = PipelineSurface.FindEndpoint("GitHubWebhook")!.Access;

    [Fact]
    public void Every_HTTP_function_of_the_app_is_found_in_the_access_policy_by_its_declaration()
    {
        Assert.Equal(StartRun, AccessPolicy.FindFunction("POST", "stacks/{stack}/runs"));
        Assert.Equal(AccessLevel.Operator, StartRun.Level);
        Assert.Equal(AccessLevel.Admin, RegisterStack.Level);
        Assert.Equal(AccessLevel.Anonymous, GitHubWebhook.Level);
        Assert.Null(AccessPolicy.FindFunction("DELETE", "stacks/{stack}/runs"));
        Assert.Null(PipelineSurface.FindEndpoint("PipelineOrchestrator"));   // the orchestrator is no HTTP function
    }

    [Theory]
    [InlineData("Reader", "ListRuns", true)]
    [InlineData("Reader", "StartRun", false)]
    [InlineData("Operator", "StartRun", true)]
    [InlineData("Operator", "RegisterStack", false)]
    [InlineData("Admin", "RegisterStack", true)]
    public async Task A_signed_in_identity_needs_the_routes_app_role(string role, string function, bool allowed)
    {
        var row = function switch { "ListRuns" => ListRuns, "StartRun" => StartRun, _ => RegisterStack };
        var http = Request(Principal("alice@contoso.com", ("roles", role)));

        var denial = AppRoleGate.Check(row, http, trustPrincipalHeader: true);

        if (allowed) Assert.Null(denial);
        else
        {
            var (status, body) = await ResultExecution.ExecuteAsync(denial!);
            Assert.Equal(StatusCodes.Status403Forbidden, status);
            Assert.Contains($"needs the app role {row.Level}", body.GetProperty("detail").GetString());
        }
        var caller = Caller.From(http.User)!;
        Assert.Equal("alice@contoso.com", caller.Name);
        Assert.Equal(Enum.Parse<AccessLevel>(role), caller.Role);
    }

    [Fact]
    public void A_signed_in_identity_without_any_of_the_pipelines_roles_may_call_only_anonymous_routes()
    {
        var http = Request(Principal("guest@contoso.com", ("groups", "00000000-aaaa"), ("roles", "Contributor")));

        Assert.NotNull(AppRoleGate.Check(ListRuns, http, trustPrincipalHeader: true));
        Assert.Null(AppRoleGate.Check(GitHubWebhook, http, trustPrincipalHeader: true));
    }

    [Fact]
    public void Without_App_Service_authentication_the_header_is_ignored_and_the_function_key_decides()
    {
        var http = Request(Principal("forged-admin", ("roles", "Admin")));

        Assert.Null(AppRoleGate.Check(StartRun, http, trustPrincipalHeader: false));
        Assert.Null(Caller.From(http.User));   // a forged identity never reaches the handlers
    }

    [Fact]
    public void A_call_with_only_a_function_key_goes_on_unnamed()
    {
        var http = Request(null);

        Assert.Null(AppRoleGate.Check(StartRun, http, trustPrincipalHeader: true));
        Assert.Null(Caller.From(http.User));
    }

    [Fact]
    public async Task A_route_missing_from_the_policy_is_denied_to_everyone()
    {
        var (status, _) = await ResultExecution.ExecuteAsync(AppRoleGate.Check(null, Request(Principal("root", ("roles", "Admin"))), trustPrincipalHeader: true)!);

        Assert.Equal(StatusCodes.Status403Forbidden, status);
    }

    private static string Principal(string name, params (string Type, string Value)[] claims) =>
        ClientPrincipal.Encode("aad", [("name", name), .. claims]);

    private static HttpContext Request(string? principalHeader)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Request.Method = "POST";
        context.Request.Path = "/api/stacks/network/runs";
        if (principalHeader is not null) context.Request.Headers[ClientPrincipal.Header] = principalHeader;
        return context;
    }
}
