using Serverless.Pipeline.Runs;

namespace Serverless.Dashboard.Tests;

/// <summary>
/// The keyless LocalHost of a developer (every caller is Admin) and a page of another origin open in the same browser:
/// a real Chromium does what such a page can do without asking (a no-cors fetch, a form), and nothing changes.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class CrossSiteBrowserTests(DashboardFixture app)
{
    [Fact]
    public async Task A_page_on_another_loopback_origin_starts_no_run_with_a_no_cors_fetch_or_a_form()
    {
        await using var attacker = AttackerPage.Start();
        var (page, _) = await app.NewPageAsync(attacker.Address, 1024, 768);
        await page.GotoAsync("/");
        var runs = new Uri(app.Host.BaseAddress, $"/api/stacks/{DashboardFixture.Stack}/runs").ToString();

        var fetched = app.Repository.CommitTemplateChange("started by another origin's fetch");
        var answer = await page.EvaluateAsync<string>("""
            async ([url, body]) => (await fetch(url, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain;charset=json' }, body })).type
            """, new[] { runs, $$"""{"commit":"{{fetched}}"}""" });
        Assert.Equal("opaque", answer); // Sent and answered; the page may not read the answer.

        var posted = app.Repository.CommitTemplateChange("started by another origin's form");
        // A text/plain form sends "{name}={value}": here {"commit":"…","message":"="}. Its answer may be a download, not a page.
        await page.RunAndWaitForResponseAsync(() => page.EvaluateAsync("""
            ([url, name]) => {
              const form = Object.assign(document.createElement('form'), { method: 'post', action: url, enctype: 'text/plain' });
              form.append(Object.assign(document.createElement('input'), { name, value: '"}' }));
              document.body.append(form);
              form.submit();
            }
            """, new[] { runs, $"{{\"commit\":\"{posted}\",\"message\":\"" }), runs, new() { Timeout = 30_000 });

        foreach (var commit in new[] { fetched, posted })
        {
            using var run = await app.Client.GetAsync($"/api/runs/{RunId.For(DashboardFixture.Stack, commit)}");
            Assert.True(run.StatusCode == HttpStatusCode.NotFound, $"Another origin's page started a run of {commit}: {await run.Content.ReadAsStringAsync()}");
        }
        await page.Context.CloseAsync();
    }

    /// <summary>The attacker's site: one page on a loopback port of its own, so another origin than LocalHost's.</summary>
    private sealed class AttackerPage : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        private AttackerPage(int port)
        {
            Address = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(Address.ToString());
            _listener.Start();
            _serving = ServeAsync();
        }

        public Uri Address { get; }

        public static AttackerPage Start() => new(FreePort.Next());

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try { await _serving; } catch (HttpListenerException) { } catch (ObjectDisposedException) { }
            _listener.Close();
        }

        private async Task ServeAsync()
        {
            var page = Encoding.UTF8.GetBytes("<!doctype html><html><head><title>Free kittens</title></head><body><p>Nothing to see.</p></body></html>");
            while (_listener.IsListening)
            {
                var context = await _listener.GetContextAsync();
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.OutputStream.WriteAsync(page);
                context.Response.Close();
            }
        }
    }
}
