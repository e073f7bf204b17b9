using System.Text.Json;
using Serverless.LocalServices;

namespace Serverless.Pipeline.Tests.Definition;

public sealed class SampleStackDefinitionTests
{
    private static readonly string StackRoot = Path.Combine(RepositoryRoot.Path, "samples", "sample-network");

    private static readonly StackGovernance Registered = SampleStack.Registration.ToDefinition(SampleStack.Name, DateTimeOffset.UtcNow).Governance;

    private static DeliveryParseResult Parse() =>
        DeliveryYaml.Parse(DeliveryYaml.FileName, File.ReadAllText(Path.Combine(StackRoot, DeliveryYaml.FileName)), Registered);

    [Fact]
    public void The_sample_stack_delivery_yaml_has_no_problem()
    {
        var result = Parse();

        Assert.Empty(result.Problems);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void The_sample_stack_delivers_to_the_environments_it_is_registered_with()
    {
        var definition = Parse().Definition!;

        Assert.Equal(Registered.NamesOf(EnvironmentKind.Test), definition.TestEnvironments().Select(e => e.Name));
        Assert.Equal(Registered.NamesOf(EnvironmentKind.Production), definition.ProductionInstances().Select(e => e.Name));
        Assert.All(definition.TestEnvironments().Concat(definition.ProductionInstances()), e =>
            Assert.Equal(Registered.Find(e.Name)!.ResourceGroup, e.ResourceGroup));
        Assert.Equal(Registered.Production.Approval, definition.Approval);
        Assert.Equal([["prod-westeurope"], ["prod-northeurope", "prod-eastus"]], definition.Production.Select(w => w.Instances.Select(i => i.Name).ToArray()));
    }

    [Fact]
    public void Every_file_the_sample_definition_names_exists_and_parameters_are_ARM_deployment_parameters()
    {
        var definition = Parse().Definition!;

        Assert.True(File.Exists(Path.Combine(StackRoot, definition.Template)));
        foreach (var environment in definition.TestEnvironments().Concat(definition.ProductionInstances()))
        {
            var file = Path.Combine(StackRoot, environment.ParametersFile!);
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            Assert.Contains("deploymentParameters.json", json.RootElement.GetProperty("$schema").GetString(), StringComparison.Ordinal);
            var parameters = json.RootElement.GetProperty("parameters");
            Assert.Equal(environment.Location, parameters.GetProperty("location").GetProperty("value").GetString());
            Assert.EndsWith(environment.Name, parameters.GetProperty("vnetName").GetProperty("value").GetString(), StringComparison.Ordinal);
            Assert.True(parameters.TryGetProperty("addressPrefix", out _));
        }
    }
}
