using Microsoft.Extensions.Options;
using Serverless.Pipeline.Approvals;

namespace Serverless.Pipeline.Tests.Approvals;

/// <summary>Approval links point at the configured public URL, else at the loopback address the host listens on, else the fallback.</summary>
public sealed class ApprovalLinkOriginTests
{
    private sealed class Listening(string? address) : IHostOwnAddress
    {
        public string? Current => address;
    }

    [Fact]
    public void The_configured_public_url_wins_over_the_hosts_own_address()
    {
        var origin = new ApprovalLinkOrigin(Options.Create(new ApprovalOptions { PublicBaseUrl = "https://pipeline.contoso.example/" }), new Listening("http://127.0.0.1:5123"));
        Assert.Equal("https://pipeline.contoso.example", origin.BaseUrl);
    }

    [Fact]
    public void Without_a_public_url_links_point_at_the_address_the_host_listens_on()
    {
        var origin = new ApprovalLinkOrigin(Options.Create(new ApprovalOptions()), new Listening("http://127.0.0.1:5123"));
        Assert.Equal("http://127.0.0.1:5123", origin.BaseUrl);
    }

    [Fact]
    public void A_host_that_knows_no_address_of_its_own_falls_back()
    {
        Assert.Equal(ApprovalOptions.FallbackBaseUrl, new ApprovalLinkOrigin(Options.Create(new ApprovalOptions()), new Listening(null)).BaseUrl);
        Assert.Equal(ApprovalOptions.FallbackBaseUrl, new ApprovalLinkOrigin(Options.Create(new ApprovalOptions())).BaseUrl);
    }
}
