using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Security;

namespace Serverless.Pipeline.Tests.Security;

public sealed class ResponseHeadersTests
{
    [Fact]
    public void Html_without_its_own_policy_gets_the_strict_default_and_no_framing()
    {
        var response = new DefaultHttpContext().Response;
        response.ContentType = "text/html; charset=utf-8";

        ResponseHeaders.Apply(response);

        Assert.Equal(ResponseHeaders.HtmlContentSecurityPolicy, response.Headers.ContentSecurityPolicy.ToString());
        Assert.Equal("DENY", response.Headers.XFrameOptions.ToString());
        Assert.Equal("nosniff", response.Headers.XContentTypeOptions.ToString());
    }

    [Fact]
    public void A_page_with_its_own_policy_keeps_it_and_json_gets_only_nosniff()
    {
        var page = new DefaultHttpContext().Response;
        page.ContentType = "text/html";
        page.Headers.ContentSecurityPolicy = "default-src 'self'";
        var json = new DefaultHttpContext().Response;
        json.ContentType = "application/json";

        ResponseHeaders.Apply(page);
        ResponseHeaders.Apply(json);

        Assert.Equal("default-src 'self'", page.Headers.ContentSecurityPolicy.ToString());
        Assert.Equal("nosniff", json.Headers.XContentTypeOptions.ToString());
        Assert.False(json.Headers.ContainsKey("Content-Security-Policy"));
    }
}
