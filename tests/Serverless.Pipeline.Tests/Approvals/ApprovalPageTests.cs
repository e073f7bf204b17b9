using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Http;

namespace Serverless.Pipeline.Tests.Approvals;

public sealed class ApprovalPageTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 3, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_page_shows_the_change_and_its_tests_and_encodes_everything()
    {
        var request = ApprovalTestKit.Request("net.abcdef1234444444444444444444444444444444", At) with { ChangeType = "<b>network</b>" };

        var html = ApprovalPage.Render(new ApprovalPageModel(request, ApprovalChoice.Approve, "/api/approvals/k1.x.y", null, 0, null));

        Assert.Contains("Widen the &lt;subnet&gt; &amp; &quot;peer&quot; it", html);
        Assert.Contains("Ann Example &lt;ann@contoso.example&gt;", html);
        Assert.Contains("&lt;b&gt;network&lt;/b&gt;", html);
        Assert.Contains("0123456789abcdef", html);
        Assert.Contains("<th>dev</th><td>Succeeded", html);
        Assert.Contains("<th>staging</th>", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" on", html.Replace(" one", "", StringComparison.Ordinal).Replace(" only", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\" action=\"/api/approvals/k1.x.y\">", html);
        Assert.Contains("name=\"name\" required", html);
        Assert.Contains("<button type=\"submit\">Approve</button>", html);
    }

    [Fact]
    public void A_signed_in_approver_is_named_and_not_asked_for_a_name()
    {
        var who = new ApproverIdentity("Bob <Builder>", true, ["Bob <Builder>"], []);

        var html = ApprovalPage.Render(new ApprovalPageModel(ApprovalTestKit.Request("net.abcdef1234444444444444444444444444444444", At), ApprovalChoice.Reject, "/x", who, 0, null));

        Assert.Contains("Signed in as <strong>Bob &lt;Builder&gt;</strong> (verified)", html);
        Assert.DoesNotContain("name=\"name\"", html);
        Assert.Contains("class=\"reject\">Reject</button>", html);
    }

    [Fact]
    public void When_the_link_cannot_decide_the_page_says_why_and_has_no_form()
    {
        var html = ApprovalPage.Render(new ApprovalPageModel(ApprovalTestKit.Request("net.abcdef1234444444444444444444444444444444", At), ApprovalChoice.Approve, "/x", null, 1, "This link has been used already."));

        Assert.Contains("This link has been used already.", html);
        Assert.DoesNotContain("<form", html);
    }

    [Fact]
    public async Task An_HTML_answer_forbids_scripts_framing_caching_and_referrers()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();

        await new HtmlPage(ApprovalPage.Message("Gone", "<expired>", success: false), 410).ExecuteAsync(context);

        var headers = context.Response.Headers;
        Assert.Equal(410, context.Response.StatusCode);
        Assert.StartsWith("text/html", context.Response.ContentType);
        Assert.StartsWith("default-src 'none'; style-src 'sha256-", headers["Content-Security-Policy"].ToString());
        Assert.DoesNotContain("unsafe-inline", headers["Content-Security-Policy"].ToString());
        Assert.Equal("no-referrer", headers["Referrer-Policy"].ToString());
        Assert.Equal("no-store", headers.CacheControl.ToString());
        Assert.Equal("DENY", headers["X-Frame-Options"].ToString());
        context.Response.Body.Position = 0;
        Assert.Contains("&lt;expired&gt;", await new StreamReader(context.Response.Body).ReadToEndAsync());
    }
}
