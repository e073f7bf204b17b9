using System.Net.Http.Headers;

namespace Serverless.LocalArm.Tests;

public sealed class AuthenticationTests : LocalArmTestBase
{
    [Fact]
    public async Task A_request_without_a_bearer_token_is_refused_with_401()
    {
        using var http = new HttpClient(Server.CreateTrustingHandler()) { BaseAddress = Server.BaseUri };
        var path = $"subscriptions/{SubscriptionId}/resourcegroups/rg?api-version=2022-09-01";

        var anonymous = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("AuthenticationFailed", JsonNode.Parse(await anonymous.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());

        using var authenticated = new HttpRequestMessage(HttpMethod.Get, path);
        authenticated.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "anything");
        var answer = await http.SendAsync(authenticated);
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal("ResourceGroupNotFound", JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_certificate_cannot_connect()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseUri };
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("_localarm/stats"));
    }
}
