using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Serverless.EndToEnd.Tests;

/// <summary>
/// A LocalHost whose outbound policy allows exactly one loopback listener the fixture starts (<see cref="Allowed"/>);
/// each test pushes a stack whose delivery.yaml points online checks or a health URL at listeners of its own.
/// </summary>
public sealed class OutboundPolicyFixture : IAsyncLifetime
{
    public Azurite Azurite { get; private set; } = null!;
    public LocalHostProcess Host { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The allowlisted listener: <c>/health</c> answers 200, <c>/redirect?to=</c> redirects anywhere.</summary>
    internal LoopbackListener Allowed { get; private set; } = null!;

    private string _workDirectory = null!;

    public async Task InitializeAsync()
    {
        Allowed = await LoopbackListener.StartAsync(site =>
        {
            site.MapGet("/health", () => Results.Text("healthy"));
            site.MapGet("/redirect", (string to) => Results.Redirect(to));
        });
        Azurite = await Azurite.StartOnFreePortsAsync();
        _workDirectory = Directory.CreateTempSubdirectory("pipeline-outbound-").FullName;
        Host = await LocalHostProcess.StartAsync(Azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Sources:WorkDirectory"] = _workDirectory,
            ["Pipeline:RegisterSampleStack"] = "false",
            ["Outbound:Allow:0"] = $"127.0.0.1:{Allowed.Port}",
        });
        Client = Host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
        await Allowed.DisposeAsync();
        try { Directory.Delete(_workDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>
    /// Makes a tiny ARM stack (one test environment, one production instance) whose delivery.yaml carries
    /// <paramref name="checks"/> and the test environment's <paramref name="healthUrl"/>, and whose template has the
    /// output <c>probeUrl</c> = <paramref name="probeUrl"/>; registers it, runs its commit and returns the run once it
    /// failed or waits for approval (it passed its test stage).
    /// </summary>
    public async Task<JsonObject> RunAsync(string checks, string? healthUrl = null, Uri? probeUrl = null)
    {
        var stack = $"o{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var layout = new ArmStackRepository.Layout("qa", ["prod-1"], ResourceGroupPrefix: $"rg-{stack}");
        var repository = ArmStackRepository.Create(Path.Combine(_workDirectory, "repos", stack), layout);
        repository.Commit(ArmStackRepository.TemplateFile, _ => Template(probeUrl), "a probe URL output");
        var commit = repository.Commit("delivery.yaml", _ => DeliveryYaml(stack, checks, healthUrl), "online checks");
        await RegisterAsync(stack, ArmStackRepository.FileUrl(repository), layout);

        var started = await Client.PostAsJsonAsync($"/api/stacks/{stack}/runs", new { commit, message = "outbound policy e2e", author = "Ann Example" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        return await new RunWaiter(Client, () => Host.Process.Output).WaitForStatusAsync(id, ["Failed", "AwaitingApproval", "Completed"]);
    }

    /// <summary>The deployment log a failed check's reason points at (<c>[log: …]</c>), or the test environment's.</summary>
    public async Task<string> DeploymentLogAsync(JsonObject run)
    {
        var name = Regex.Match((string?)run["reason"] ?? "", @"\[log: (?<blob>[^\]]+)\]") is { Success: true } match
            ? match.Groups["blob"].Value
            : $"{(string)run["id"]!}/deploy-qa-1.log";
        return await new StorageProbe(Azurite.ConnectionString).BlobTextAsync("logs", name);
    }

    // The one place that registers a stack: the registration's shape is the gate issue's to change.
    private async Task RegisterAsync(string stack, string repositoryUrl, ArmStackRepository.Layout layout)
    {
        var response = await Client.PutAsJsonAsync($"/api/stacks/{stack}", layout.Registration(repositoryUrl));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static string DeliveryYaml(string stack, string checks, string? healthUrl) => $"""
        template: {ArmStackRepository.TemplateFile}
        stages:
          - name: test
            environments:
              - name: qa
                subscription: 11111111-1111-1111-1111-111111111111
                resourceGroup: rg-{stack}-qa
                location: westeurope
        {(healthUrl is null ? "" : $"        healthUrl: {healthUrl}\n")}
        approval:
          approvers:
            users: [{ArmStackRepository.Approver}]
          timeout: 60m
        production:
          waves:
            - name: all
              instances:
                - name: prod-1
                  subscription: 22222222-2222-2222-2222-222222222222
                  resourceGroup: rg-{stack}-prod-1
                  location: westeurope
        checks:
        {checks}
        supersede: false
        """;

    private static string Template(Uri? probeUrl) => $$"""
        {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "parameters": {},
          "variables": { "change": "{{Guid.NewGuid():N}}" },
          "resources": [],
          "outputs": {
            "change": { "type": "string", "value": "[variables('change')]" },
            "probeUrl": { "type": "string", "value": "{{probeUrl?.ToString() ?? "none"}}" }
          }
        }
        """;
}

/// <summary>
/// Online checks and health URLs of a hostile stack aimed at the host's own loopback services: refused by the
/// outbound policy before any connection, in words that say nothing about the target; the allowlisted listener works.
/// </summary>
public sealed class OutboundPolicyTests(OutboundPolicyFixture app) : IClassFixture<OutboundPolicyFixture>
{
    private const string Refused = "loopback address refused by the outbound policy";

    [Fact]
    public async Task A_check_against_a_loopback_listener_is_refused_by_policy_and_the_listener_sees_no_connection()
    {
        await using var inside = await LoopbackListener.StartAsync();

        // The URL comes from a deployment output, as a template's author would arrange it.
        var run = await app.RunAsync(Http(Probe("steal", output: "probeUrl")), probeUrl: inside.Url("/"));

        Assert.Equal("Failed", (string)run["status"]!);
        Assert.Contains($"probe steal of {inside.Url("/")} was not sent: {Refused}", (string)run["reason"]!);
        Assert.Equal(0, inside.Connections);
    }

    [Fact]
    public async Task A_check_against_a_closed_loopback_port_is_refused_in_the_same_words_as_an_open_one()
    {
        await using var inside = await LoopbackListener.StartAsync();
        var open = inside.Url("/health");
        var closed = new Uri($"http://127.0.0.1:{LoopbackListener.ClosedPort()}/health");

        var run = await app.RunAsync(Http(Probe("open", url: open), Probe("closed", url: closed)));

        var reason = (string)run["reason"]!;
        Assert.Contains($"probe open of {open} was not sent: {Refused}", reason);
        Assert.Contains($"probe closed of {closed} was not sent: {Refused}", reason);
        var log = await app.DeploymentLogAsync(run);
        var evidence = log.Split('\n').Where(line => line.StartsWith("GET ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, evidence.Count);
        Assert.Equal(evidence[0].Replace(open.ToString(), "URL", StringComparison.Ordinal), evidence[1].Replace(closed.ToString(), "URL", StringComparison.Ordinal));
        Assert.DoesNotContain("no connection", log, StringComparison.Ordinal);
        Assert.DoesNotContain("reached", log, StringComparison.Ordinal);
        Assert.Equal(0, inside.Connections);
    }

    [Fact]
    public async Task A_redirect_from_the_allowed_listener_to_a_refused_address_is_not_followed()
    {
        await using var inside = await LoopbackListener.StartAsync();
        var redirect = new Uri(app.Allowed.Url("/redirect"), $"?to={Uri.EscapeDataString(inside.Url("/").ToString())}");

        var run = await app.RunAsync(Http(Probe("hop", url: redirect)));

        Assert.Equal("Failed", (string)run["status"]!);
        Assert.Contains($"probe hop of {redirect} failed", (string)run["reason"]!);
        Assert.Contains("302 in", await app.DeploymentLogAsync(run));
        Assert.Equal(0, inside.Connections);
    }

    [Fact]
    public async Task The_allowlisted_loopback_listener_still_passes_its_check()
    {
        var before = app.Allowed.Requests;

        var run = await app.RunAsync(Http(Probe("health", url: app.Allowed.Url("/health"))));

        Assert.Equal("AwaitingApproval", (string)run["status"]!);
        Assert.True(app.Allowed.Requests > before);
        Assert.Contains("Check health: passed", await app.DeploymentLogAsync(run));
    }

    [Fact]
    public async Task A_health_url_on_a_loopback_listener_is_never_polled()
    {
        await using var inside = await LoopbackListener.StartAsync();

        var run = await app.RunAsync(Http(Probe("health", url: app.Allowed.Url("/health"))), healthUrl: inside.Url("/health").ToString());

        Assert.Equal("AwaitingApproval", (string)run["status"]!);
        Assert.Contains($"Health of {inside.Url("/health")}: not watched, {Refused}", await app.DeploymentLogAsync(run));
        Assert.Equal(0, inside.Connections);
    }

    /// <summary>The <c>checks:</c> body with these HTTP probes.</summary>
    private static string Http(params string[] probes) => "  http:\n" + string.Join("\n", probes);

    private static string Probe(string name, Uri? url = null, string? output = null) =>
        $"""
            - name: {name}
              {(url is not null ? $"url: {url}" : $"output: {output}")}
              expectedStatus: 200
              timeout: 5s
              retries: 0
        """;
}
