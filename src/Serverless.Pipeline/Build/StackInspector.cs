using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Definition;
using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Build;

/// <summary>
/// Reads a stack at one commit and runs the offline tests: delivery.yaml, the template (Bicep compiled
/// and linted, or ARM JSON as is) and every environment's parameters file against the template.
/// </summary>
public sealed class StackInspector(SourceRepository sources, BicepCompiler bicep, BuildSlots slots, IOptions<SourceOptions> options)
{
    /// <param name="governance">The stack's registration, which delivery.yaml is read against (see <see cref="DeliveryYaml.Parse"/>).</param>
    public async Task<StackInspection> InspectAsync(SourceRequest request, StackGovernance governance, CancellationToken cancellation = default)
    {
        using var turn = await slots.EnterAsync(cancellation);
        var workspace = Path.Combine(options.Value.WorkDirectory, "builds", Guid.NewGuid().ToString("N"));
        try
        {
            var source = await sources.CheckoutAsync(request, workspace, cancellation);
            return await InspectSourceAsync(source, governance, cancellation);
        }
        finally
        {
            if (Directory.Exists(workspace)) Directory.Delete(workspace, recursive: true);
        }
    }

    private async Task<StackInspection> InspectSourceAsync(SourceSnapshot source, StackGovernance governance, CancellationToken cancellation)
    {
        var problems = new List<BuildProblem>();
        var diagnostics = new List<BicepDiagnostic>();
        var tools = new Dictionary<string, string>();
        var log = new StringBuilder($"Build of commit {source.Commit} (tree {source.TreeHash}) by {source.Author}: {source.Message}\n");
        log.AppendLine($"Changed files{(source.Base is null ? "" : $" since {source.Base}")}: {(source.ChangedPaths.Count == 0 ? "none" : string.Join(", ", source.ChangedPaths))}");
        log.AppendLine($"Authors and committers of the change: {string.Join(", ", source.DeliveredAuthors)}");

        problems.AddRange(source.Problems);
        var definition = source.Problems.Count == 0 ? ReadDefinition(source, governance, problems) : null;
        string? template = null;
        var parameters = new Dictionary<string, byte[]>();
        if (definition is not null)
        {
            template = await ReadTemplateAsync(source, definition, problems, diagnostics, tools, log, cancellation);
            if (template is not null) CheckParameters(source, definition, JsonNode.Parse(template)!, parameters, problems);
        }

        var changeType = definition is null
            ? ChangeTypePolicy.DefaultType
            : ChangeTypeClassifier.Classify(definition.ChangeTypes, source.ChangedPaths);
        log.AppendLine($"Change type: {changeType}");
        foreach (var diagnostic in diagnostics) log.AppendLine(diagnostic.ToString());
        log.AppendLine(problems.Count == 0 ? "Result: succeeded" : $"Result: failed with {problems.Count} problem(s)");
        foreach (var problem in problems) log.AppendLine($"  {problem}");
        return new StackInspection(source, problems.Count == 0 ? definition : null, template, parameters, changeType, problems, diagnostics, tools, log.ToString());
    }

    private static DeliveryDefinition? ReadDefinition(SourceSnapshot source, StackGovernance governance, List<BuildProblem> problems)
    {
        if (governance.Environments.Count == 0)
        {
            problems.Add(new BuildProblem("registration", DeliveryYaml.FileName, 0, 0, "environments",
                "The stack's registration defines no environments: register it again (PUT /api/stacks/{stack}) with its environments and the protection of production."));
            return null;
        }
        var path = Path.Combine(source.Directory, DeliveryYaml.FileName);
        if (!File.Exists(path))
        {
            problems.Add(new BuildProblem("delivery.yaml", DeliveryYaml.FileName, 0, 0, null,
                "The stack has no delivery.yaml at its root; it defines the stack's pipeline (see docs/delivery-yaml.md)."));
            return null;
        }
        var parsed = DeliveryYaml.Parse(DeliveryYaml.FileName, File.ReadAllText(path), governance);
        problems.AddRange(parsed.Problems.Select(p => new BuildProblem("delivery.yaml", p.File, p.Line, p.Column, p.Field, p.Message)));
        return parsed.Definition;
    }

    private async Task<string?> ReadTemplateAsync(SourceSnapshot source, DeliveryDefinition definition, List<BuildProblem> problems,
        List<BicepDiagnostic> diagnostics, Dictionary<string, string> tools, StringBuilder log, CancellationToken cancellation)
    {
        var path = Path.GetFullPath(Path.Combine(source.Directory, definition.Template));
        if (!path.StartsWith(Path.GetFullPath(source.Directory), StringComparison.Ordinal) || !File.Exists(path))
        {
            problems.Add(new BuildProblem("template", definition.Template, 0, 0, "template", $"The template '{definition.Template}' does not exist in the stack."));
            return null;
        }

        if (!definition.IsBicep())
        {
            var json = await File.ReadAllTextAsync(path, cancellation);
            try
            {
                _ = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("the template is not a JSON object");
                log.AppendLine($"ARM template {definition.Template} taken as is.");
                CheckScope(json, definition.Template, null, problems);
                return json;
            }
            catch (JsonException e)
            {
                problems.Add(new BuildProblem("template", definition.Template, 0, 0, null, $"The ARM template is not valid JSON: {e.Message}"));
                return null;
            }
        }

        var refused = TemplatePaths.Check(source.Directory, path);
        problems.AddRange(refused);
        if (refused.Count > 0) return null;
        tools["bicep"] = await bicep.VersionAsync(cancellation);
        log.AppendLine($"Compiling {definition.Template} with Bicep {tools["bicep"]}; lint rules that fail the build: {(definition.Lint.FailOn.Count == 0 ? "none" : string.Join(", ", definition.Lint.FailOn))}");
        var compilation = await bicep.CompileAsync(path, source.Directory, definition.Lint, cancellation);
        diagnostics.AddRange(compilation.Diagnostics);
        problems.AddRange(compilation.Failing.Select(d => new BuildProblem("bicep", d.File, d.Line, d.Column, d.Code, $"{d.Level}: {d.Message}")));
        if (!compilation.Succeeded) return null;
        CheckScope(compilation.Template!, definition.Template, await File.ReadAllTextAsync(path, cancellation), problems);
        return compilation.Template;
    }

    private static void CheckScope(string template, string templateFile, string? bicepSource, List<BuildProblem> problems)
    {
        if (TemplateScopeCheck.Check(template, templateFile, bicepSource) is { } refused) problems.Add(refused);
    }

    private static void CheckParameters(SourceSnapshot source, DeliveryDefinition definition, JsonNode template,
        Dictionary<string, byte[]> parameters, List<BuildProblem> problems)
    {
        foreach (var environment in definition.TestEnvironments().Concat(definition.ProductionInstances()))
        {
            byte[]? content = null;
            if (environment.ParametersFile is { } file)
            {
                var path = Path.GetFullPath(Path.Combine(source.Directory, file));
                if (!path.StartsWith(Path.GetFullPath(source.Directory), StringComparison.Ordinal) || !File.Exists(path))
                {
                    problems.Add(new BuildProblem("parameters", file, 0, 0, environment.Name, $"The parameters file of {environment.Name} does not exist."));
                    continue;
                }
                content = File.ReadAllBytes(path);
                parameters[environment.Name] = content;
            }
            foreach (var problem in ParameterFileCheck.Check(template, content))
                problems.Add(new BuildProblem("parameters", environment.ParametersFile ?? "(no parameters file)", problem.Line, problem.Column, environment.Name, problem.Message));
        }
    }
}
