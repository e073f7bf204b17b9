using Serverless.Pipeline.Approvals;

namespace Serverless.Pipeline.Tests.Approvals;

public sealed class ClientPrincipalTests
{
    [Fact]
    public void An_Entra_ID_principal_gives_a_verified_name_its_aliases_and_its_groups()
    {
        var header = ClientPrincipal.Encode("aad",
        [
            ("aud", "api://pipeline"),
            ("name", "Bob Builder"),
            ("preferred_username", "bob@contoso.example"),
            ("groups", "11111111-1111-1111-1111-111111111111"),
            ("roles", "release-managers"),
        ]);

        var who = ClientPrincipal.Parse(header)!;

        Assert.True(who.Verified);
        Assert.Equal("Bob Builder", who.Name);
        Assert.Equal(["Bob Builder", "bob@contoso.example"], who.Aliases);
        Assert.Equal(["11111111-1111-1111-1111-111111111111", "release-managers"], who.Groups);
        Assert.Equal("aad", who.AuthType);
    }

    [Fact]
    public void Without_a_name_claim_the_user_name_is_the_name()
    {
        var who = ClientPrincipal.Parse(ClientPrincipal.Encode("aad", [("preferred_username", "carol@contoso.example")]))!;

        Assert.Equal("carol@contoso.example", who.Name);
    }

    [Fact]
    public void The_name_type_and_role_type_of_the_principal_are_honoured()
    {
        var json = """
            {"auth_typ":"github","name_typ":"urn:github:login","role_typ":"urn:github:team",
             "claims":[{"typ":"urn:github:login","val":"dave"},{"typ":"urn:github:team","val":"platform"}]}
            """;

        var who = ClientPrincipal.Parse(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)))!;

        Assert.Equal("dave", who.Name);
        Assert.Equal(["platform"], who.Groups);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("%%% not base64")]
    [InlineData("bm90IGpzb24=")] // "not json"
    [InlineData("WzEsMiwzXQ==")] // [1,2,3]
    public void A_missing_or_unreadable_header_names_nobody(string? header) => Assert.Null(ClientPrincipal.Parse(header));

    [Fact]
    public void A_principal_without_any_name_names_nobody() =>
        Assert.Null(ClientPrincipal.Parse(ClientPrincipal.Encode("aad", [("roles", "release-managers")])));

    [Fact]
    public void A_typed_name_is_unverified_and_has_no_groups()
    {
        var who = ApproverIdentity.Typed("  Erin ");

        Assert.False(who.Verified);
        Assert.Equal("Erin", who.Name);
        Assert.Empty(who.Groups);
        Assert.Equal(ApproverIdentity.Typed("erin").Key, who.Key);
    }
}
