using Microsoft.Extensions.Configuration;
using Serverless.Pipeline.Hosting;
using Serverless.Pipeline.Build;
using Serverless.Pipeline.Deploy.Arm;
using Serverless.Pipeline.Deploy;

namespace Serverless.Pipeline.Tests.Build;

/// <summary>The build stage on real git repositories, the real Bicep CLI and Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BuildStageTests : IDisposable
{
    private readonly AzuriteFixture _azurite;
    private readonly IOptions<StorageOptions> _storage = AzuriteFixture.IsolatedOptions();
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("build-work-").FullName;
    private readonly ArtifactStore _artifacts;
    private readonly LogStore _logs;
    private readonly BuildService _build;
    private readonly List<GitStack> _repositories = [];

    public BuildStageTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        var sources = Options.Create(new SourceOptions { WorkDirectory = _workDirectory });
        _artifacts = new ArtifactStore(azurite.Blobs, _storage);
        _logs = new LogStore(azurite.Blobs, _storage);
        var build = Options.Create(new BuildOptions());
        var inspector = new StackInspector(new SourceRepository(sources), new BicepCompiler(build), new BuildSlots(build), sources);
        _build = new BuildService(inspector, _artifacts, _logs, new EnvironmentStore(new PipelineTables(azurite.Tables, _storage)), TimeProvider.System);
    }

    [Fact]
    public async Task The_sample_stack_builds_into_a_versioned_artifact_with_its_manifest()
    {
        var repo = Track(GitStack.WithSample());
        var commit = repo.Edit("main.bicep", t => t.Replace("stack: 'sample-network'", "stack: 'sample-network'\n  owner: 'platform'")).Commit("Tag the owner");

        var result = await BuildAsync(repo, commit);
        var artifact = await _artifacts.ReadVerifiedAsync("net", result.Version);

        Assert.Matches("^[0-9a-f]{16}$", result.Version);
        Assert.Equal("network", result.ChangeType); // main.bicep matches no rule: the default type.
        Assert.Equal(commit, artifact.Manifest.Commit);
        Assert.StartsWith("Ann Example <", artifact.Manifest.Author);
        Assert.Matches("^[0-9a-f]{40}$", artifact.Manifest.SourceTreeHash!);
        Assert.Matches(@"^\d+\.\d+\.\d+$", artifact.Manifest.ToolVersions["bicep"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 9, 2, 0, TimeSpan.Zero), artifact.Manifest.CommittedAt);
        Assert.Contains("template.json", artifact.Files.Keys);
        Assert.Equal(6, artifact.Files.Count); // The template and five environments' parameters.
        Assert.Contains("\"Microsoft.Network/virtualNetworks\"", System.Text.Encoding.UTF8.GetString(artifact.Files["template.json"]));
        Assert.Equal(["dev", "staging"], result.Definition.TestEnvironments().Select(e => e.Name));
        Assert.Contains("Result: succeeded", await StoredRows.LogAsync(_azurite.Blobs, _storage, result.LogBlob));
    }

    [Fact]
    public async Task The_same_commit_built_twice_gives_the_same_version_and_a_parameters_change_a_new_one()
    {
        var repo = Track(GitStack.WithSample());
        var commit = repo.Edit("main.bicep", t => t + "\n").Commit("Whitespace");
        var first = await BuildAsync(repo, commit);
        var again = await BuildAsync(repo, commit);
        var configuration = repo.Edit("parameters/dev.json", t => t.Replace("10.10.0.0/16", "10.11.0.0/16")).Commit("Move dev");
        var changed = await BuildAsync(repo, configuration);

        Assert.Equal(first.Version, again.Version);
        Assert.NotEqual(first.Version, changed.Version);
        Assert.Equal("configuration", changed.ChangeType);
    }

    [Fact]
    public async Task Invalid_Bicep_stops_the_build_with_the_compiler_messages_and_their_lines()
    {
        var repo = Track(GitStack.WithSample());
        var commit = repo.Edit("main.bicep", t => t + "\nresource broken 'Microsoft.Network/notAThing' = {\n").Commit("Break it");

        var failure = await Assert.ThrowsAsync<BuildFailedException>(() => BuildAsync(repo, commit));

        Assert.Contains(failure.Problems, p => p.Source == "bicep" && p.File == "main.bicep" && p.Line > 100 && p.Field!.StartsWith("BCP", StringComparison.Ordinal));
        Assert.Contains("[log: ", failure.Message);
        var log = await StoredRows.LogAsync(_azurite.Blobs, _storage, $"net.{commit}/build.log");
        Assert.Contains("Error BCP", log);
        Assert.Contains("Result: failed", log);
    }

    [Fact]
    public async Task A_lint_rule_fails_the_build_only_when_delivery_yaml_says_so()
    {
        var repo = Track(GitStack.WithSample());
        var unused = repo.Edit("main.bicep", t => t.Replace("targetScope = 'resourceGroup'", "targetScope = 'resourceGroup'\n\nparam unusedSetting string = 'x'")).Commit("Unused param");

        var failure = await Assert.ThrowsAsync<BuildFailedException>(() => BuildAsync(repo, unused));
        Assert.Contains(failure.Problems, p => p.Field == "no-unused-params");

        var relaxed = repo.Edit("delivery.yaml", t => t.Replace("failOn: [no-unused-params, ", "failOn: [")).Commit("Allow unused params");
        var result = await BuildAsync(repo, relaxed);
        Assert.Contains("Warning no-unused-params", await StoredRows.LogAsync(_azurite.Blobs, _storage, result.LogBlob));
        Assert.Equal("pipeline", result.ChangeType);
    }

    [Fact]
    public async Task A_multi_module_Bicep_stack_compiles_into_one_template()
    {
        var repo = Track(GitStack.WithSample());
        repo.Write("modules/routes.bicep", """
            @description('Region of the route table.')
            param location string
            @description('Name of the route table.')
            param name string

            resource routes 'Microsoft.Network/routeTables@2024-05-01' = {
              name: name
              location: location
              properties: { disableBgpRoutePropagation: true }
            }

            output id string = routes.id
            """);
        var commit = repo.Edit("main.bicep", t => t + "\nmodule routes 'modules/routes.bicep' = {\n  name: 'routes'\n  params: {\n    location: location\n    name: '${vnetName}-routes'\n  }\n}\n")
            .Commit("Route table from a module");

        var result = await BuildAsync(repo, commit);
        var template = System.Text.Encoding.UTF8.GetString((await _artifacts.ReadVerifiedAsync("net", result.Version)).Files["template.json"]);

        Assert.Contains("Microsoft.Network/routeTables", template);
    }

    [Fact]
    public async Task In_a_mono_repo_the_stack_path_selects_one_stack_and_its_changes()
    {
        var repo = Track(GitStack.WithSample("stacks/network"));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(repo.Directory, "stacks/network"), "*", SearchOption.AllDirectories))
            repo.Write(Path.Combine("stacks/database", Path.GetRelativePath(Path.Combine(repo.Directory, "stacks/network"), file)),
                File.ReadAllText(file).Replace("sample-network", "sample-database"));
        repo.Commit("Second stack");
        var commit = repo.Edit("stacks/database/parameters/dev.json", t => t.Replace("10.10.0.0/16", "10.20.0.0/16")).Commit("Database dev range");

        var network = await BuildAsync(repo, commit, "stacks/network", stack: "network");
        var database = await BuildAsync(repo, commit, "stacks/database", stack: "database");

        Assert.Equal("network", network.ChangeType); // Nothing of it changed: the default type.
        Assert.Equal("configuration", database.ChangeType);
        Assert.NotEqual(network.Version, database.Version);
        Assert.Contains("sample-database", System.Text.Encoding.UTF8.GetString((await _artifacts.ReadVerifiedAsync("database", database.Version)).Files["template.json"]));
    }

    [Fact]
    public async Task Parameters_that_do_not_fit_the_template_are_all_reported()
    {
        var repo = Track(GitStack.WithSample());
        var commit = repo
            .Write("parameters/dev.json", """{"parameters":{"vnetName":{"value":42},"colour":{"value":"blue"}}}""")
            .Commit("Bad dev parameters");

        var failure = await Assert.ThrowsAsync<BuildFailedException>(() => BuildAsync(repo, commit));
        var messages = failure.Problems.Where(p => p.Field == "dev").Select(p => p.Message).ToList();

        Assert.Contains(messages, m => m.Contains("'vnetName' must be of type string", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'colour' is not declared", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("required parameter 'addressPrefix' is missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_delivery_yaml_with_several_mistakes_reports_all_of_them_with_lines()
    {
        var repo = Track(GitStack.WithSample());
        var commit = repo.Edit("delivery.yaml", t => t
                .Replace("      - name: dev\n", "      - name: dev\n        subscription: not-a-guid\n")
                .Replace("production:\n", "approval:\n  minimumApprovals: 0\n  timeout: soon\n\nproduction:\n"))
            .Commit("Broken pipeline");

        var failure = await Assert.ThrowsAsync<BuildFailedException>(() => BuildAsync(repo, commit));

        Assert.True(failure.Problems.Count >= 3, string.Join("\n", failure.Problems));
        Assert.All(failure.Problems, p => Assert.Equal("delivery.yaml", p.Source));
        Assert.All(failure.Problems, p => Assert.True(p.Line > 0));
        Assert.Contains(failure.Problems, p => p.Field!.EndsWith("subscription", StringComparison.Ordinal));
        Assert.Contains(failure.Problems, p => p.Field == "approval.minimumApprovals");
        Assert.Contains(failure.Problems, p => p.Field == "approval.timeout");
    }

    [Fact]
    public async Task The_change_is_every_commit_it_delivers_with_their_authors_and_committers()
    {
        var repo = Track(GitStack.WithSample());
        var delivered = repo.Head;
        repo.Edit("delivery.yaml", t => t.Replace("supersede: true", "supersede: false")).Commit("Pipeline change", author: "Mallory Example");
        var head = repo.Edit("parameters/dev.json", t => t.Replace("10.10.0.0/16", "10.12.0.0/16")).Commit("Move dev", author: "Ann Example", committer: "Build Bot");

        var alone = await BuildAsync(repo, head);
        var sinceDelivered = await _build.BuildAsync(new BuildRequest($"net.{head}", "net", new CommitInfo(head, repo.Url), "",
            TestStacks.AgreeingWith(Path.Combine(repo.Directory, DeliveryYaml.FileName)), DeliveredSince: delivered));

        // The head alone changes a parameters file; with the commit before it, the change also touches delivery.yaml,
        // whose rule comes first.
        Assert.Equal("configuration", alone.ChangeType);
        Assert.Equal("pipeline", sinceDelivered.ChangeType);
        Assert.Equal(["Ann Example <ann@contoso.example>", "Build Bot <build@contoso.example>"], alone.Authors);
        Assert.Equal(["Ann Example <ann@contoso.example>", "Build Bot <build@contoso.example>", "Mallory Example <mallory@contoso.example>"],
            sinceDelivered.Authors.Order(StringComparer.Ordinal));
        Assert.Equal(("Move dev", "Ann Example <ann@contoso.example>"), (sinceDelivered.Commit.Message, sinceDelivered.Commit.Author));
        Assert.Contains($"Changed files since {delivered}: delivery.yaml, parameters/dev.json", await StoredRows.LogAsync(_azurite.Blobs, _storage, sinceDelivered.LogBlob));
    }

    [Fact]
    public async Task A_commit_on_another_branch_than_production_takes_builds_but_is_not_on_the_production_branch()
    {
        var repo = Track(GitStack.WithSample());
        var onMain = repo.Edit("main.bicep", t => t.Replace("stack: 'sample-network'", "stack: 'sample-network'\n  owner: 'a'")).Commit("On main");
        var onFeature = repo.Branch("feature/x").Edit("main.bicep", t => t.Replace("owner: 'a'", "owner: 'b'")).Commit("On a feature branch");

        Assert.True((await BuildAsync(repo, onMain)).OnProductionBranch);
        Assert.False((await BuildAsync(repo, onFeature)).OnProductionBranch);
    }

    [Fact]
    public async Task An_ARM_JSON_template_is_taken_as_is()
    {
        var repo = Track(GitStack.WithSample());
        repo.Write("azuredeploy.json", """
            {"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","contentVersion":"1.0.0.0",
             "parameters":{"location":{"type":"string"},"vnetName":{"type":"string"},"addressPrefix":{"type":"string"}},"resources":[]}
            """);
        var commit = repo.Edit("delivery.yaml", t => t.Replace("template: main.bicep", "template: azuredeploy.json")).Commit("Plain ARM");

        var result = await BuildAsync(repo, commit);

        Assert.False((await _artifacts.ReadVerifiedAsync("net", result.Version)).Manifest.ToolVersions.ContainsKey("bicep"));
    }

    [Fact]
    public async Task A_tampered_artifact_makes_the_deploy_refuse()
    {
        var repo = Track(GitStack.WithSample());
        var result = await BuildAsync(repo, repo.Edit("main.bicep", t => t + "\n").Commit("Build"));
        var arm = new RecordingArmDeployer();
        var deploy = DeployServiceOver(arm);
        var target = result.Definition.TestEnvironments().Single(e => e.Name == "dev");

        await deploy.DeployAsync(new DeploymentRequest("net.x", "net", target, StageKind.Test, result.Version));
        Assert.Single(arm.Deployed);
        await _azurite.Blobs.GetBlobContainerClient(_storage.Value.NamePrefix + "artifacts")
            .GetBlobClient($"net/{result.Version}/template.json").UploadAsync(BinaryData.FromString("{\"resources\":[\"evil\"]}"), overwrite: true);

        var refusal = await Assert.ThrowsAsync<ArtifactIntegrityException>(() =>
            deploy.DeployAsync(new DeploymentRequest("net.x", "net", target, StageKind.Test, result.Version)));
        Assert.Contains("changed after the build", refusal.Message);
        Assert.Single(arm.Deployed); // Nothing was sent to ARM from the tampered artifact.
    }

    /// <summary>The product's own DeployService, wired as the hosts wire it, over Azurite and a stand-in ARM deployer.</summary>
    private DeployService DeployServiceOver(IArmDeployer arm)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = _azurite.Azurite.ConnectionString,
            ["Storage:NamePrefix"] = _storage.Value.NamePrefix,
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddPipeline(configuration);
        services.AddSingleton(arm);
        return services.BuildServiceProvider().GetRequiredService<DeployService>();
    }

    public void Dispose()
    {
        foreach (var repo in _repositories) repo.Dispose();
        try { Directory.Delete(_workDirectory, recursive: true); } catch (IOException) { }
    }

    private GitStack Track(GitStack repo)
    {
        _repositories.Add(repo);
        return repo;
    }

    /// <summary>Builds the commit as a stack whose registration agrees with the delivery.yaml in the repository's working tree.</summary>
    private Task<BuildResult> BuildAsync(GitStack repo, string commit, string path = "", string stack = "net") =>
        _build.BuildAsync(new BuildRequest($"{stack}.{commit}", stack, new CommitInfo(commit, repo.Url), path,
            TestStacks.AgreeingWith(Path.Combine(repo.Directory, path, DeliveryYaml.FileName))));
}
