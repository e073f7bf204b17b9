using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Runs;

namespace Serverless.EndToEnd.Tests;

/// <summary>
/// Two LocalHosts on one Azurite, both with the Event Grid secret and an approval signing key the tests know:
/// <see cref="Direct"/> logs every request (ASP.NET Core at Information, its hosting diagnostics at Trace) and trusts
/// no proxy; <see cref="BehindProxy"/> trusts X-Forwarded-For from 127.0.0.1, as behind a reverse proxy on the same machine.
/// </summary>
public sealed class SourceAndLogFixture : IAsyncLifetime
{
    public const string EventGridSecret = "e2e-redaction-secret-5d2c1f0b";
    public const string KeyId = "k1";

    public static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(32);

    public Azurite Azurite { get; private set; } = null!;
    public LocalHostProcess Direct { get; private set; } = null!;
    public LocalHostProcess BehindProxy { get; private set; } = null!;
    private readonly List<string> _workDirectories = [];

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartOnFreePortsAsync();
        Direct = await StartAsync("direct", new()
        {
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting"] = "Trace",
        });
        BehindProxy = await StartAsync("proxied", new() { ["ForwardedHeaders:TrustedProxies:0"] = "127.0.0.1" });
    }

    public async Task DisposeAsync()
    {
        await Direct.DisposeAsync();
        await BehindProxy.DisposeAsync();
        await Azurite.DisposeAsync();
        foreach (var directory in _workDirectories)
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }

    /// <summary>A genuine approval link token (signed with the hosts' key) for a run that requested no approval.</summary>
    public static (string RunId, string Token) SignedToken()
    {
        var runId = RunId.For("sample-network", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20))).ToString();
        var claims = new ApprovalClaims(runId, "approval", ApprovalChoice.Approve, DateTimeOffset.UtcNow.AddHours(1), ApprovalToken.NewNonce());
        return (runId, ApprovalToken.Sign(claims, KeyId, SigningKey));
    }

    /// <summary>The audit trail of a run, through the API.</summary>
    public static async Task<IReadOnlyList<JsonObject>> AuditAsync(HttpClient client, string runId)
    {
        var trail = await client.GetFromJsonAsync<JsonObject>($"/api/runs/{runId}/approvals");
        return trail!["audit"]!.AsArray().Select(a => a!.AsObject()).ToList();
    }

    private async Task<LocalHostProcess> StartAsync(string name, Dictionary<string, string> settings)
    {
        var workDirectory = Directory.CreateTempSubdirectory($"pipeline-{name}-").FullName;
        _workDirectories.Add(workDirectory);
        settings["Sources:WorkDirectory"] = workDirectory;
        settings["Engine:TaskHub"] = name;
        settings["Pipeline:RegisterSampleStack"] = "false";
        settings["Triggers:EventGrid:Secret"] = EventGridSecret;
        settings[$"Approvals:SigningKeys:{KeyId}"] = Convert.ToBase64String(SigningKey);
        settings["Approvals:ActiveKeyId"] = KeyId;
        return await LocalHostProcess.StartAsync(Azurite.ConnectionString, settings);
    }
}

[CollectionDefinition(Name)]
public sealed class SourceAndLogCollection : ICollectionFixture<SourceAndLogFixture>
{
    public const string Name = "SourceAndLog";
}

/// <summary>With request logging on, neither the Event Grid secret nor an approval link's signature reaches LocalHost's log.</summary>
[Collection(SourceAndLogCollection.Name)]
public sealed class LogRedactionTests(SourceAndLogFixture app)
{
    [Fact]
    public async Task Request_logging_shows_neither_the_Event_Grid_secret_nor_the_approval_links_signature()
    {
        using var client = app.Direct.CreateClient();
        var (_, token) = SourceAndLogFixture.SignedToken();
        var signature = token[(token.LastIndexOf('.') + 1)..];

        var delivery = await client.PostAsync($"/api/events/eventgrid?secret={SourceAndLogFixture.EventGridSecret}",
            new StringContent("", System.Text.Encoding.UTF8, "application/json"));
        var page = await client.GetAsync($"/api/approvals/{token}");

        Assert.Equal(HttpStatusCode.BadRequest, delivery.StatusCode);   // past the secret: a body is required
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);         // a genuine link, of a run that requested no approval
        // The requests were logged (redacted), so the log was on when it mattered.
        var output = await OutputHoldingAsync(
            "/api/events/eventgrid?secret=REDACTED",
            $"/api/approvals/{token[..(token.LastIndexOf('.') + 1)]}REDACTED");
        Assert.Contains("Request starting", output, StringComparison.Ordinal);
        Assert.DoesNotContain(SourceAndLogFixture.EventGridSecret, output, StringComparison.Ordinal);
        Assert.DoesNotContain(signature, output, StringComparison.Ordinal);
    }

    private async Task<string> OutputHoldingAsync(params string[] texts)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var output = app.Direct.Process.Output;
            if (texts.All(text => output.Contains(text, StringComparison.Ordinal)) || DateTime.UtcNow > deadline)
            {
                Assert.All(texts, text => Assert.Contains(text, output, StringComparison.Ordinal));
                return output;
            }
            await Task.Delay(100);
        }
    }
}

/// <summary>The approvals' audit trail records the connection's address, unless a configured proxy forwarded the request.</summary>
[Collection(SourceAndLogCollection.Name)]
public sealed class ForwardedForTests(SourceAndLogFixture app)
{
    [Fact]
    public async Task A_forged_X_Forwarded_For_from_a_caller_that_is_no_configured_proxy_is_ignored()
    {
        using var client = app.Direct.CreateClient();

        var runId = await OpenLinkAsync(client, forwardedFor: "203.0.113.66");

        var entry = Assert.Single(await SourceAndLogFixture.AuditAsync(client, runId));
        Assert.Equal("127.0.0.1", (string?)entry["sourceAddress"]);
    }

    [Fact]
    public async Task Behind_a_configured_proxy_the_forwarded_address_is_recorded()
    {
        using var client = app.BehindProxy.CreateClient();

        var runId = await OpenLinkAsync(client, forwardedFor: "203.0.113.66");

        var entry = Assert.Single(await SourceAndLogFixture.AuditAsync(client, runId));
        Assert.Equal("203.0.113.66", (string?)entry["sourceAddress"]);
    }

    /// <summary>Opens a genuine link whose run requested no approval: refused, and the refusal is audited with its source address.</summary>
    private static async Task<string> OpenLinkAsync(HttpClient client, string forwardedFor)
    {
        var (runId, token) = SourceAndLogFixture.SignedToken();
        using var get = new HttpRequestMessage(HttpMethod.Get, $"/api/approvals/{token}");
        get.Headers.Add("X-Forwarded-For", forwardedFor);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(get)).StatusCode);
        return runId;
    }
}
