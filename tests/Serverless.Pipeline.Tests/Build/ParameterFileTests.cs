using Serverless.Pipeline.Build;

namespace Serverless.Pipeline.Tests.Build;

/// <summary>
/// Every environment's parameters file checked at build (and validation) against the template's own limits, with the
/// file's lines: on the modular web-estate stack (nested modules, a module loop, a condition), the real Bicep CLI.
/// </summary>
public sealed class ParameterFileTests : IDisposable
{
    private readonly StackInspections _inspections = new();

    [Fact]
    public async Task The_estate_with_parameters_within_their_limits_passes_and_a_valid_array_of_allowed_items_with_it()
    {
        var repo = _inspections.Track(GitStack.WithTestStack("web-estate"));

        var inspection = await _inspections.InspectAsync(repo, repo.Head);

        Assert.True(inspection.Succeeded, string.Join("\n", inspection.Problems));
        Assert.Equal(5, inspection.ParameterFiles.Count);
        Assert.Contains("\"Microsoft.Network/routeTables\"", inspection.CompiledTemplate, StringComparison.Ordinal); // The nested module's.
    }

    [Fact]
    public async Task Values_outside_the_templates_limits_are_refused_for_every_environment_with_file_line_limit_and_value()
    {
        var repo = _inspections.Track(GitStack.WithTestStack("web-estate"));
        var commit = repo
            .Edit("parameters/prod-eastus.json", t => t.Replace("\"value\": 3", "\"value\": 12"))
            .Edit("parameters/staging.json", t => t.Replace("\"value\": \"staging\"", "\"value\": \"staging-eu\""))
            .Edit("parameters/dev.json", t => t.Replace("\"value\": 1\n", "\"value\": 0\n").Replace("\"value\": [\n        \"web\"\n      ]", "\"value\": []"))
            .Edit("parameters/prod-northeurope.json", t => t.Replace("\"admin\"", "\"portal\""))
            .Edit("parameters/prod-westeurope.json", t => t.Replace("\"P2v3\"", "\"S1\""))
            .Commit("Parameters outside the template's limits");

        var inspection = await _inspections.InspectAsync(repo, commit);

        Assert.All(inspection.Problems, p => Assert.Equal("parameters", p.Source));
        Assert.Equal(6, inspection.Problems.Count);
        AssertProblem(inspection, "prod-eastus", 11, "parameter 'instanceCount' is 12, more than its maxValue 10.");
        AssertProblem(inspection, "dev", 11, "parameter 'instanceCount' is 0, less than its minValue 1.");
        AssertProblem(inspection, "staging", 5, "parameter 'environmentName' has 10 character(s), more than its maxLength 8: \"staging-eu\".");
        AssertProblem(inspection, "dev", 17, "parameter 'siteNames' has 0 item(s), fewer than its minLength 1: [].");
        AssertProblem(inspection, "prod-northeurope", 17, "parameter 'siteNames' may hold only items of [\"web\",\"api\",\"admin\"] (allowedValues), not \"portal\".");
        AssertProblem(inspection, "prod-westeurope", 14, "parameter 'planSku' must be one of [\"B1\",\"P1v3\",\"P2v3\"] (allowedValues), not \"S1\".");
        Assert.Contains("parameters/prod-eastus.json(11,5): prod-eastus: parameter 'instanceCount' is 12, more than its maxValue 10.", inspection.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secure_value_outside_its_limits_is_refused_without_showing_it()
    {
        var repo = _inspections.Track(GitStack.WithTestStack("web-estate"));
        var commit = repo.Edit("parameters/dev.json", t => t.Replace("dev-health-token-0001", "short-token")).Commit("A short token");

        var inspection = await _inspections.InspectAsync(repo, commit);

        var problem = Assert.Single(inspection.Problems);
        Assert.Equal(("parameters/dev.json", "dev", 22, 5), (problem.File, problem.Field, problem.Line, problem.Column));
        Assert.Equal("parameter 'healthToken' has 11 character(s), fewer than its minLength 16: (a secure value, not shown).", problem.Message);
        Assert.DoesNotContain("short-token", inspection.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_parameter_is_reported_at_its_line_with_the_name_meant_and_a_missing_one_at_the_parameters_object()
    {
        var repo = _inspections.Track(GitStack.WithTestStack("web-estate"));
        var commit = repo.Edit("parameters/staging.json", t => t.Replace("\"instanceCount\"", "\"instanceCuont\"")).Commit("A typo");

        var inspection = await _inspections.InspectAsync(repo, commit);

        Assert.Equal(2, inspection.Problems.Count);
        var unknown = Assert.Single(inspection.Problems, p => p.Message.Contains("not declared", StringComparison.Ordinal));
        Assert.Equal(("parameters/staging.json", "staging", 11, 5), (unknown.File, unknown.Field, unknown.Line, unknown.Column));
        Assert.Equal("parameter 'instanceCuont' is not declared by the template. Did you mean 'instanceCount'?", unknown.Message);
        var missing = Assert.Single(inspection.Problems, p => p.Message.Contains("missing", StringComparison.Ordinal));
        Assert.Equal(("parameters/staging.json", "staging", 4, 3), (missing.File, missing.Field, missing.Line, missing.Column));
        Assert.Equal("required parameter 'instanceCount' is missing.", missing.Message);
    }

    [Fact]
    public async Task A_name_like_no_declared_one_lists_the_declared_names_and_broken_JSON_is_reported_where_it_breaks()
    {
        var repo = _inspections.Track(GitStack.WithTestStack("web-estate"));
        var commit = repo
            .Edit("parameters/dev.json", t => t.Replace("\"parameters\": {\n", "\"parameters\": {\n    \"colour\": { \"value\": \"blue\" },\n"))
            .Edit("parameters/staging.json", t => t.Replace("\"value\": 2\n", "\"value\": 2,\n"))
            .Commit("An unknown parameter and a trailing comma");

        var inspection = await _inspections.InspectAsync(repo, commit);

        var unknown = Assert.Single(inspection.Problems, p => p.Field == "dev");
        Assert.Equal((5, 5), (unknown.Line, unknown.Column));
        Assert.StartsWith("parameter 'colour' is not declared by the template (declared: location, environmentName, ", unknown.Message, StringComparison.Ordinal);
        var broken = Assert.Single(inspection.Problems, p => p.Field == "staging");
        Assert.Equal(13, broken.Line);
        Assert.True(broken.Column > 0);
        Assert.StartsWith("not an ARM parameters file: ", broken.Message, StringComparison.Ordinal);
    }

    private static void AssertProblem(StackInspection inspection, string environment, int line, string message)
    {
        var problem = Assert.Single(inspection.Problems, p => p.Field == environment && p.Message == message);
        Assert.Equal(($"parameters/{environment}.json", line, 5), (problem.File, problem.Line, problem.Column));
    }

    public void Dispose() => _inspections.Dispose();
}
