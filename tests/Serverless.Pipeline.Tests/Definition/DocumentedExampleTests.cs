using System.Text.Json;
using System.Text.RegularExpressions;
using Serverless.LocalServices;
using Serverless.Pipeline.Http;

namespace Serverless.Pipeline.Tests.Definition;

public sealed partial class DocumentedExampleTests
{
    /// <summary>The YAML block under "## Complete example" in docs/delivery-yaml.md, so that the documentation cannot drift from the parser.</summary>
    internal static string CompleteExample() => YamlBlock().Match(ExampleSection()).Groups["yaml"].Value;

    /// <summary>The registration (the JSON block) of the same section: the stack's environments and the protection of production.</summary>
    internal static StackGovernance DocumentedRegistration()
    {
        var registration = JsonSerializer.Deserialize<StackRegistration>(JsonBlock().Match(ExampleSection()).Groups["json"].Value, ApiJson.Options)!;
        Assert.Empty(registration.Validate());
        return registration.ToDefinition("web", DateTimeOffset.UtcNow).Governance;
    }

    private static string ExampleSection()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "delivery-yaml.md"));
        return doc[doc.IndexOf("## Complete example", StringComparison.Ordinal)..];
    }

    [Fact]
    public void The_documented_example_parses_to_the_expected_model()
    {
        var result = DeliveryYaml.Parse("delivery.yaml", CompleteExample(), DocumentedRegistration());

        Assert.Empty(result.Problems);
        var definition = Assert.IsType<DeliveryDefinition>(result.Definition);
        Assert.Equal("main.bicep", definition.Template);
        Assert.True(definition.IsBicep());
        Assert.True(definition.Supersede);

        Assert.Equal(["test", "staging"], definition.Stages.Select(s => s.Name));
        var dev = Assert.Single(definition.Stages[0].Environments);
        Assert.Equal(new EnvironmentTarget("dev", "11111111-1111-1111-1111-111111111111", "rg-web-dev", "westeurope", "parameters/dev.json", null, Ephemeral: true), dev);
        var staging = Assert.Single(definition.Stages[1].Environments);
        Assert.False(staging.Ephemeral);
        Assert.Equal("https://staging.web.contoso.example/health", staging.HealthUrl);

        Assert.Equal(["alice@contoso.example", "bob@contoso.example"], definition.Approval.Users);
        Assert.Equal(["platform-owners"], definition.Approval.Groups);
        Assert.Equal(2, definition.Approval.MinimumApprovals); // Stricter than the registration's 1.
        Assert.False(definition.Approval.AuthorMayApprove);
        Assert.Equal(TimeSpan.FromHours(4), definition.Approval.Timeout); // Shorter than the registration's 8 hours.

        Assert.Equal(["canary", "rest"], definition.Production.Select(w => w.Name));
        Assert.Equal(["prod-westeurope"], definition.Production[0].Instances.Select(i => i.Name));
        Assert.Equal(["prod-northeurope", "prod-eastus"], definition.Production[1].Instances.Select(i => i.Name));
        Assert.Equal(
            new EnvironmentTarget("prod-eastus", "33333333-3333-3333-3333-333333333333", "rg-web-prod-eastus", "eastus", "parameters/prod-eastus.json", null, Ephemeral: false),
            definition.Production[1].Instances[1]);
        Assert.Equal(["dev", "staging"], definition.TestEnvironments().Select(e => e.Name));
        Assert.Equal(["prod-westeurope", "prod-northeurope", "prod-eastus"], definition.ProductionInstances().Select(e => e.Name));
        Assert.Equal("northeurope", definition.ProductionInstances().Single(e => e.Name == "prod-northeurope").Location);

        Assert.True(definition.Checks.WhatIfNoChanges);
        Assert.Equal(
            [
                new HttpProbe("health", Url: null, Output: "healthUrl", 200, TimeSpan.FromSeconds(30), Retries: 5),
                new HttpProbe("status-page", "https://status.contoso.example/web", Output: null, 200, TimeSpan.FromSeconds(10), Retries: 3),
            ],
            definition.Checks.Http);

        Assert.Equal("compute", definition.ChangeTypes.Default);
        Assert.Equal(["network", "database", "configuration"], definition.ChangeTypes.Rules.Select(r => r.Type));
        Assert.Equal(["network/**", "**/*.vnet.bicep"], definition.ChangeTypes.Rules[0].Paths);

        Assert.Equal(["no-unused-params", "no-hardcoded-location", "secure-secrets-in-params"], definition.Lint.FailOn);
        Assert.True(definition.Lint.Fails("no-hardcoded-location"));
        Assert.False(definition.Lint.Fails("no-unused-vars"));
    }

    [Fact]
    public void The_definition_survives_a_round_trip_through_System_Text_Json()
    {
        var definition = DeliveryYaml.Parse("delivery.yaml", CompleteExample(), DocumentedRegistration()).Definition!;

        var json = JsonSerializer.Serialize(definition);
        var copy = JsonSerializer.Deserialize<DeliveryDefinition>(json)!;

        Assert.Equal(json, JsonSerializer.Serialize(copy));
        Assert.Equal(definition.Approval.Timeout, copy.Approval.Timeout);
        Assert.Equal(definition.Production[1].Instances[0], copy.Production[1].Instances[0]);
    }

    [Fact]
    public void Optional_sections_take_their_documented_defaults()
    {
        var result = DeliveryYaml.Parse("delivery.yaml", """
            template: ./templates/main.json
            stages:
              - name: test
                environments:
                  - name: dev
                    subscription: 11111111-1111-1111-1111-111111111111
                    resourceGroup: rg-dev
                    location: westeurope
            approval:
              approvers:
                groups: [owners]
            production:
              waves:
                - instances:
                    - name: prod
                      subscription: 2222222A-2222-2222-2222-222222222222
                      resourceGroup: rg-prod
                      location: westeurope
            """);

        var definition = Assert.IsType<DeliveryDefinition>(result.Definition);
        Assert.Equal("templates/main.json", definition.Template);
        Assert.False(definition.IsBicep());
        Assert.True(definition.Supersede);
        Assert.Empty(definition.Approval.Users);
        Assert.Equal(["owners"], definition.Approval.Groups);
        Assert.Equal(1, definition.Approval.MinimumApprovals);
        Assert.False(definition.Approval.AuthorMayApprove);
        Assert.Equal(TimeSpan.FromHours(24), definition.Approval.Timeout);
        Assert.Equal("wave-1", definition.Production[0].Name);
        Assert.Equal("2222222a-2222-2222-2222-222222222222", definition.Production[0].Instances[0].Subscription);
        Assert.Null(definition.Production[0].Instances[0].ParametersFile);
        Assert.Empty(definition.Checks.Http);
        Assert.False(definition.Checks.WhatIfNoChanges);
        Assert.Equal(ChangeTypePolicy.DefaultType, definition.ChangeTypes.Default);
        Assert.Empty(definition.ChangeTypes.Rules);
        Assert.Empty(definition.Lint.FailOn);
    }

    [GeneratedRegex(@"```yaml\n(?<yaml>.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    [GeneratedRegex(@"```json\n(?<json>.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
