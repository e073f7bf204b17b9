using Serverless.Tests.Shared;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Security;

namespace Serverless.Pipeline.Tests.Security;

public sealed class StackAccessTests
{
    private static readonly StackDefinition Restricted =
        TestStacks.Registration("https://git.example/x.git", operators: [" deploy-bot ", "alice@contoso.com"])
            .ToDefinition("network", DateTimeOffset.UtcNow);

    [Fact]
    public void A_stack_without_operators_lets_every_caller_through_that_the_route_let_in()
    {
        var open = TestStacks.Registration("https://git.example/x.git").ToDefinition("network", DateTimeOffset.UtcNow);

        Assert.Null(StackAccess.Refusal(open, Request(null), "start"));
        Assert.Null(StackAccess.Refusal(open, Request(Principal("someone", "Operator")), "start"));
    }

    [Theory]
    [InlineData("deploy-bot", "Operator")]
    [InlineData("DEPLOY-BOT", "Operator")]
    [InlineData("bob", "Admin")]
    public void Named_operators_and_admins_may_start_a_restricted_stack(string name, string role) =>
        Assert.Null(StackAccess.Refusal(Restricted, Request(Principal(name, role)), "start"));

    [Fact]
    public void A_caller_known_by_another_name_matches_by_any_of_its_names()
    {
        var identity = new ClaimsIdentity([new Claim("oid", "7f1c"), new Claim("preferred_username", "alice@contoso.com"), new Claim("roles", "Operator")], "Bearer");

        Assert.Null(StackAccess.Refusal(Restricted, Request(new ClaimsPrincipal(identity)), "roll back"));
    }

    [Fact]
    public async Task An_operator_not_in_the_list_is_refused_with_problem_details_naming_the_operators()
    {
        var refusal = StackAccess.Refusal(Restricted, Request(Principal("mallory", "Operator")), "roll back");

        var (status, body) = await ResultExecution.ExecuteAsync(refusal!);
        Assert.Equal(StatusCodes.Status403Forbidden, status);
        var detail = body.GetProperty("detail").GetString()!;
        Assert.Contains("'mallory' may not roll back stack 'network'", detail);
        Assert.Contains("deploy-bot, alice@contoso.com", detail);
    }

    [Fact]
    public void An_unnamed_caller_such_as_a_function_key_is_refused_on_a_restricted_stack() =>
        Assert.NotNull(StackAccess.Refusal(Restricted, Request(null), "start"));

    [Fact]
    public void Operators_are_validated_and_stored_trimmed_without_repeats()
    {
        Assert.Equal(["deploy-bot", "alice@contoso.com"], Restricted.Operators);
        Assert.Contains("operators", TestStacks.Registration("https://git.example/x.git", operators: []).Validate().Keys);
        Assert.Contains("operators", TestStacks.Registration("https://git.example/x.git", operators: ["  "]).Validate().Keys);
        Assert.Contains("operators", TestStacks.Registration("https://git.example/x.git",
            operators: [.. Enumerable.Range(0, StackRegistration.MaxOperators + 1).Select(i => $"op-{i}")]).Validate().Keys);
        Assert.Contains("operators", TestStacks.Registration("https://git.example/x.git", operators: ["a\nb"]).Validate().Keys);
    }

    private static ClaimsPrincipal Principal(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "ApiKey"));

    private static HttpRequest Request(ClaimsPrincipal? user)
    {
        var context = new DefaultHttpContext();
        if (user is not null) context.User = user;
        return context.Request;
    }
}
