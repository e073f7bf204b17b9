using System.Text.RegularExpressions;
using LibGit2Sharp;

namespace Serverless.LocalServices;

/// <summary>
/// A tiny stack in a local git repository, for the load driver and the fault drills: an ARM JSON template (no
/// Bicep, so that a build is only git and hashing), a delivery.yaml with one test stage of one environment and one
/// production wave, and no parameters files. Each <see cref="CommitChange"/> changes the template, so each commit
/// builds a new artifact version, as a real change would.
/// </summary>
public static partial class ArmStackRepository
{
    public const string TemplateFile = "main.json";
    public const string Approver = "load-driver@contoso.example";
    private const string TestSubscription = "11111111-1111-1111-1111-111111111111";
    private const string ProductionSubscription = "22222222-2222-2222-2222-222222222222";

    /// <summary>
    /// The environments of the stack: its delivery.yaml and its registration name the same ones. Their resource groups
    /// are named <c>{ResourceGroupPrefix}-{environment}</c>; runs that deploy to one resource group wait for each other.
    /// </summary>
    public sealed record Layout(string TestEnvironment, IReadOnlyList<string> ProductionInstances, int ApprovalTimeoutMinutes = 60, string ResourceGroupPrefix = "rg-load")
    {
        public static Layout Default { get; } = new("qa", ["prod-1", "prod-2"]);

        /// <summary>The body of <c>PUT /api/stacks/{stack}</c> for this stack: its environments and the protection of production.</summary>
        public object Registration(string repositoryUrl) => new
        {
            repository = repositoryUrl,
            environments = new[] { Environment(TestEnvironment, "test", TestSubscription) }
                .Concat(ProductionInstances.Select(name => Environment(name, "production", ProductionSubscription))),
            production = new
            {
                approvers = new { users = new[] { Approver } },
                timeoutMinutes = ApprovalTimeoutMinutes,
            },
        };

        private object Environment(string name, string kind, string subscription) =>
            new { name, kind, subscription, resourceGroup = $"{ResourceGroupPrefix}-{name}", location = "westeurope" };
    }

    /// <summary>Creates the repository with its first commit on <c>main</c>; returns it.</summary>
    public static StackRepository Create(string directory, Layout layout)
    {
        Directory.CreateDirectory(directory);
        Repository.Init(directory, isBare: false);
        using (var repository = new Repository(directory))
        {
            repository.Refs.UpdateTarget("HEAD", "refs/heads/main");
            File.WriteAllText(Path.Combine(directory, TemplateFile), Template("initial"));
            File.WriteAllText(Path.Combine(directory, "delivery.yaml"), DeliveryYaml(layout));
            Commands.Stage(repository, "*");
            var signature = new Signature("Load Driver", "load.driver@contoso.example", DateTimeOffset.UtcNow);
            repository.Commit("A tiny ARM stack", signature, signature);
        }
        return new StackRepository(directory);
    }

    /// <summary>The repository's file URL, as a stack registration takes it.</summary>
    public static string FileUrl(StackRepository repository) => new Uri(Path.GetFullPath(repository.Directory)).AbsoluteUri;

    /// <summary>Commits a new value of the template's <c>change</c> variable; returns the commit id.</summary>
    public static string CommitChange(StackRepository repository, string message) =>
        repository.Commit(TemplateFile, text => ChangeValue().Replace(text, $"\"change\": \"{Guid.NewGuid():N}\""), message, "Load Driver");

    public static string Template(string change) =>
        $$"""
        {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "parameters": {},
          "variables": {
            "change": "{{change}}"
          },
          "resources": [],
          "outputs": {
            "change": { "type": "string", "value": "[variables('change')]" }
          }
        }
        """;

    public static string DeliveryYaml(Layout layout)
    {
        var instances = string.Concat(layout.ProductionInstances.Select(name => $"            - {name}\n"));
        return $"""
            # A tiny stack for load and fault drills (format: docs/delivery-yaml.md); its registration places the environments.
            template: {TemplateFile}

            stages:
              - name: test
                environments:
                  - {layout.TestEnvironment}

            production:
              waves:
                - name: all
                  instances:
            {instances}
            # Every run of a load must finish on its own; none supersedes another.
            supersede: false

            """;
    }

    [GeneratedRegex("\"change\": \"[^\"]*\"")]
    private static partial Regex ChangeValue();
}
