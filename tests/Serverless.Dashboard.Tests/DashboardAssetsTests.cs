using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Pipeline.Dashboard;

namespace Serverless.Dashboard.Tests;

/// <summary>How the Function App serves the dashboard's files (LocalHost uses the static files middleware with the same headers).</summary>
public sealed partial class DashboardAssetsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dashboard-root-").FullName;
    private readonly string _outside;

    public DashboardAssetsTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "js"));
        File.WriteAllText(Path.Combine(_root, "index.html"), "<!DOCTYPE html><title>t</title>");
        File.WriteAllText(Path.Combine(_root, "js", "app.js"), "export {};");
        File.WriteAllText(Path.Combine(_root, ".secret.js"), "hidden");
        File.WriteAllText(Path.Combine(_root, "notes.txt"), "not served");
        _outside = Path.Combine(Path.GetDirectoryName(_root)!, Path.GetFileName(_root) + "-outside.js");
        File.WriteAllText(_outside, "outside");
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        File.Delete(_outside);
    }

    private static string SourceRoot => Path.Combine(RepositoryRoot.Path, "src", "Serverless.LocalHost", "wwwroot", "dashboard");

    [Theory]
    [InlineData("../x.js")]
    [InlineData("js/../../x.js")]
    [InlineData("..")]
    [InlineData("js/..")]
    [InlineData("./index.html")]
    [InlineData("%2e%2e/x.js")]
    [InlineData("..%2fx.js")]
    [InlineData("js\\..\\..\\x.js")]
    [InlineData("/etc/passwd")]
    [InlineData("js//app.js")]
    [InlineData(".secret.js")]
    [InlineData("notes.txt")]
    [InlineData("index.html\0.js")]
    [InlineData("index.html:stream")]
    [InlineData("missing.js")]
    public void A_path_that_leaves_the_folder_or_names_no_servable_file_resolves_to_nothing(string path) =>
        Assert.Null(DashboardAssets.Resolve(_root, path));

    [Fact]
    public void A_sibling_folder_that_shares_the_prefix_is_outside() =>
        Assert.Null(DashboardAssets.Resolve(_root, "../" + Path.GetFileName(_outside)));

    [Fact]
    public void A_file_below_the_folder_resolves_to_its_full_path() =>
        Assert.Equal(Path.Combine(_root, "js", "app.js"), DashboardAssets.Resolve(_root, "js/app.js"));

    [Fact]
    public async Task A_file_is_served_with_its_type_and_the_security_headers()
    {
        var (context, body) = Request("/api/dashboard/js/app.js");

        await DashboardAssets.Serve(context.Request, "js/app.js", _root).ExecuteAsync(context);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("text/javascript; charset=utf-8", context.Response.ContentType);
        Assert.Equal("export {};", Text(body));
        AssertSecurityHeaders(context.Response.Headers);
    }

    [Fact]
    public async Task The_folder_itself_is_the_index_and_without_its_slash_it_redirects_there_keeping_the_query()
    {
        var (index, body) = Request("/api/dashboard/");
        await DashboardAssets.Serve(index.Request, "", _root).ExecuteAsync(index);
        Assert.Equal(200, index.Response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", index.Response.ContentType);
        Assert.StartsWith("<!DOCTYPE html>", Text(body), StringComparison.Ordinal);
        AssertSecurityHeaders(index.Response.Headers);

        var (bare, _) = Request("/api/dashboard", "?code=k&stack=net");
        await DashboardAssets.Serve(bare.Request, null, _root).ExecuteAsync(bare);
        Assert.Equal(302, bare.Response.StatusCode);
        Assert.Equal("/api/dashboard/?code=k&stack=net", bare.Response.Headers.Location.ToString());
    }

    [Fact]
    public async Task An_unchanged_file_is_answered_not_modified()
    {
        var (first, _) = Request("/api/dashboard/index.html");
        await DashboardAssets.Serve(first.Request, "index.html", _root).ExecuteAsync(first);
        var etag = first.Response.Headers.ETag.ToString();

        var (again, body) = Request("/api/dashboard/index.html");
        again.Request.Headers.IfNoneMatch = etag;
        await DashboardAssets.Serve(again.Request, "index.html", _root).ExecuteAsync(again);

        Assert.Equal(304, again.Response.StatusCode);
        Assert.Equal("", Text(body));
    }

    [Fact]
    public async Task A_path_outside_the_folder_is_not_found()
    {
        var (context, body) = Request("/api/dashboard/../host.json");
        await DashboardAssets.Serve(context.Request, "../host.json", _root).ExecuteAsync(context);

        Assert.Equal(404, context.Response.StatusCode);
        Assert.DoesNotContain("outside", Text(body), StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_has_no_inline_script_no_inline_handler_and_no_inline_style()
    {
        var html = File.ReadAllText(Path.Combine(SourceRoot, "index.html"));

        foreach (Match script in ScriptTag().Matches(html))
            Assert.Contains(" src=", script.Value, StringComparison.Ordinal);
        Assert.DoesNotMatch(InlineHandler(), html);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ExternalUrl(), html);
        foreach (var script in Directory.GetFiles(Path.Combine(SourceRoot, "js"), "*.js"))
        {
            var code = File.ReadAllText(script);
            Assert.DoesNotContain("innerHTML", code, StringComparison.Ordinal);
            Assert.DoesNotContain("eval(", code, StringComparison.Ordinal);
            Assert.DoesNotContain("setAttribute('style'", code, StringComparison.Ordinal);
            Assert.DoesNotContain("/approval'", code, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Both_hosts_outputs_carry_the_dashboard_and_the_bundled_chart_library()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        foreach (var project in new[] { "Serverless.LocalHost", "Serverless.Functions" })
        {
            var root = Path.Combine(RepositoryRoot.Path, "src", project, "bin", configuration, "net10.0", "wwwroot", "dashboard");
            foreach (var file in new[] { "index.html", "dashboard.css", "js/app.js", "vendor/chart.umd.js" })
                Assert.True(File.Exists(Path.Combine(root, file)), $"The build of {project} did not copy {file} to {root}.");
            Assert.Contains("Chart.js v", File.ReadAllText(Path.Combine(root, "vendor", "chart.umd.js"))[..200], StringComparison.Ordinal);
        }
    }

    private static void AssertSecurityHeaders(IHeaderDictionary headers)
    {
        Assert.Equal(DashboardAssets.ContentSecurityPolicy, headers["Content-Security-Policy"].ToString());
        Assert.Contains("script-src 'self'", DashboardAssets.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", DashboardAssets.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("DENY", headers["X-Frame-Options"].ToString());
        Assert.Equal("nosniff", headers["X-Content-Type-Options"].ToString());
    }

    private static (DefaultHttpContext Context, MemoryStream Body) Request(string path, string query = "")
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        context.Response.Body = body;
        return (context, body);
    }

    private static string Text(MemoryStream body) => System.Text.Encoding.UTF8.GetString(body.ToArray());

    [GeneratedRegex("<script[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();

    [GeneratedRegex(@"(src|href)\s*=\s*""(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();
}
