using LibGit2Sharp;

namespace Serverless.EndToEnd.Tests;

/// <summary>
/// A modular Bicep stack (the stand-in's test stack "estate": nested modules, a module loop, a
/// conditional module) through LocalHost: it builds, deploys to its test environment on the ARM
/// stand-in, passes the what-if check there, and waits for approval.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class ModularStackTests(LocalHostFixture app)
{
    private const string Stack = "modular-estate";
    private const string TestSubscription = "11111111-1111-1111-1111-111111111111";
    private const string TestGroup = "rg-modular-estate-test";

    [Fact]
    public async Task A_modular_stack_passes_its_test_stage_on_the_ARM_stand_in()
    {
        var root = Directory.CreateTempSubdirectory("modular-stack-").FullName;
        try
        {
            var commit = CreateRepository(root);
            var registered = await app.Client.PutAsJsonAsync($"/api/stacks/{Stack}", Registration(new Uri(root).AbsoluteUri));
            Assert.True(registered.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await registered.Content.ReadAsStringAsync());

            var id = (string)(await app.StartRunAsync(Stack, commit))["id"]!;
            var waiting = await app.Runs.WaitForStatusAsync(id, "AwaitingApproval");

            var stages = waiting["stages"]!.AsArray();
            Assert.Equal("Succeeded", (string)stages.Single(s => (string)s!["name"]! == "modular-test")!["status"]!);
            using var arm = app.Host.Arm!.CreateClient();
            var resources = (await arm.GetFromJsonAsync<JsonArray>($"/_localarm/subscriptions/{TestSubscription}/resourcegroups/{TestGroup}/resources"))!
                .Select(r => (string)r!["id"]!).ToList();
            Assert.Contains(resources, r => r.EndsWith("/providers/Microsoft.Network/virtualNetworks/e2e-vnet", StringComparison.Ordinal));
            Assert.Contains(resources, r => r.EndsWith("/providers/Microsoft.Web/sites/e2e-site-westeurope", StringComparison.Ordinal));
            Assert.Contains(resources, r => r.EndsWith("/providers/Microsoft.Web/sites/e2e-site-northeurope", StringComparison.Ordinal));
            Assert.Equal(2, resources.Count(r => r.Contains("/providers/Microsoft.Storage/storageAccounts/st", StringComparison.Ordinal)));

            await app.Client.PostAsJsonAsync($"/api/runs/{id}/approval", new { decision = "reject", by = "alice@contoso.example", comment = "end of the e2e check" });
            await app.Runs.WaitForStatusAsync(id, "Rejected");
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>The body of <c>PUT /api/stacks/{stack}</c> for this stack: its environments and where they are.</summary>
    private static object Registration(string repositoryUrl) => new
    {
        repository = repositoryUrl,
        environments = new object[]
        {
            new { name = "modular-test", kind = "test", subscription = TestSubscription, resourceGroup = TestGroup, location = "westeurope" },
            Registrations.Environment(Stack, "modular-prod", "production", Registrations.ProductionSubscription),
        },
        production = new { approvers = new { users = Registrations.Approvers } },
    };

    /// <summary>A git repository with the estate stack, its parameters and a delivery.yaml; returns the commit.</summary>
    private static string CreateRepository(string root)
    {
        var source = Path.Combine(RepositoryRoot.Path, "tests", "Serverless.LocalArm.Tests", "Stacks", "estate");
        foreach (var file in Directory.EnumerateFiles(source, "*.bicep", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        Directory.CreateDirectory(Path.Combine(root, "parameters"));
        foreach (var environment in new[] { "test", "prod" })
            File.WriteAllText(Path.Combine(root, "parameters", $"{environment}.json"), """
                {
                  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
                  "contentVersion": "1.0.0.0",
                  "parameters": { "prefix": { "value": "e2e" } }
                }
                """);
        File.WriteAllText(Path.Combine(root, "delivery.yaml"), $"""
            template: main.bicep

            stages:
              - name: test
                environments:
                  - name: modular-test
                    parameters: parameters/test.json

            production:
              waves:
                - name: all
                  instances:
                    - name: modular-prod
                      parameters: parameters/prod.json

            checks:
              whatIfNoChanges: true
            """);
        Repository.Init(root);
        using var repository = new Repository(root);
        repository.Refs.UpdateTarget("HEAD", "refs/heads/main");
        Commands.Stage(repository, "*");
        var signature = new Signature("Ann Example", "ann.example@contoso.example", DateTimeOffset.UtcNow);
        return repository.Commit("A modular stack", signature, signature).Sha;
    }
}
