using System.Security.Claims;
using Serverless.Pipeline.Security;

namespace Serverless.Pipeline.Tests.Security;

public sealed class CallerTests
{
    [Fact]
    public void An_unauthenticated_principal_is_no_caller()
    {
        Assert.Null(Caller.From(null));
        Assert.Null(Caller.From(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "x")]))));
    }

    [Fact]
    public void A_token_caller_is_known_by_every_name_and_gets_its_highest_app_role()
    {
        var identity = new ClaimsIdentity(
            [new Claim("name", "Alice Example"), new Claim("preferred_username", "alice@contoso.com"), new Claim("oid", "7f1c"),
             new Claim("roles", "Reader"), new Claim("roles", "operator"), new Claim("roles", "Pipeline.Unknown")],
            "Bearer", "name", "roles");

        var caller = Caller.From(new ClaimsPrincipal(identity))!;

        Assert.Equal("Alice Example", caller.Name);
        Assert.Equal(["Alice Example", "alice@contoso.com", "7f1c"], caller.Aliases);
        Assert.Equal(AccessLevel.Operator, caller.Role);
        Assert.True(caller.IsAnyOf(["ALICE@contoso.com"]));
        Assert.False(caller.IsAnyOf(["bob"]));
    }

    [Fact]
    public void Roles_that_are_not_the_pipelines_grant_nothing()
    {
        Assert.Equal(AccessLevel.Anonymous, AppRoles.HighestOf(["Contributor", "Anonymous", ""]));
        Assert.Equal(AccessLevel.Admin, AppRoles.HighestOf(["Reader", "ADMIN"]));
    }
}
