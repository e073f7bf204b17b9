namespace Serverless.Pipeline.Tests.Definition;

public sealed class ProblemReportingTests
{
    /// <summary>Joins lines so that the index + 1 of each line in the test is its line number in the file.</summary>
    private static string Lines(params string[] lines) => string.Join('\n', lines) + "\n";

    private static IReadOnlyList<DefinitionProblem> Problems(string yaml, string file = "delivery.yaml")
    {
        var result = DeliveryYaml.Parse(file, yaml);
        Assert.Null(result.Definition);
        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Problems);
        return result.Problems;
    }

    private static DefinitionProblem Find(IReadOnlyList<DefinitionProblem> problems, string field) =>
        Assert.Single(problems, p => p.Field == field);

    [Fact]
    public void Every_mistake_in_the_file_is_reported_with_its_line_column_and_field()
    {
        var problems = Problems(Lines(
            /*  1 */ "template: main.tf",
            /*  2 */ "stages:",
            /*  3 */ "  - name: test",
            /*  4 */ "    environments:",
            /*  5 */ "      - name: Dev_1",
            /*  6 */ "        subscription: not-a-guid",
            /*  7 */ "        resourceGroup: rg-dev",
            /*  8 */ "        location: westeurope",
            /*  9 */ "        ephemeral: maybe",
            /* 10 */ "  - name: staging",
            /* 11 */ "    environments:",
            /* 12 */ "      - name: staging",
            /* 13 */ "        subscripton: 11111111-1111-1111-1111-111111111111",
            /* 14 */ "        resourceGroup: rg-staging",
            /* 15 */ "        location: westeurope",
            /* 16 */ "approval:",
            /* 17 */ "  approvers:",
            /* 18 */ "    users: [alice]",
            /* 19 */ "  minimumApprovals: 3",
            /* 20 */ "  timeout: four hours",
            /* 21 */ "production:",
            /* 22 */ "  waves:",
            /* 23 */ "    - name: first",
            /* 24 */ "      instances: []",
            /* 25 */ "    - instances:",
            /* 26 */ "        - name: staging",
            /* 27 */ "          subscription: 22222222-2222-2222-2222-222222222222",
            /* 28 */ "          resourceGroup: rg-prod",
            /* 29 */ "          location: West Europe",
            /* 30 */ "changeTypes:",
            /* 31 */ "  rules:",
            /* 32 */ "    - paths: [\"net/**/x**\"]",
            /* 33 */ "      type: network",
            /* 34 */ "supersede: sometimes"), file: "stacks/web/delivery.yaml");

        var expected = new (int Line, string Field, string Says)[]
        {
            (1, "template", "must be a .bicep or .json file"),
            (5, "stages[0].environments[0].name", "'Dev_1' is not a valid environment name"),
            (6, "stages[0].environments[0].subscription", "'not-a-guid' is not a subscription id"),
            (9, "stages[0].environments[0].ephemeral", "'maybe' is not true or false"),
            (13, "stages[1].environments[0].subscripton", "Did you mean 'subscription'?"),
            (19, "approval.minimumApprovals", "3 approvals are required but only 1 approver is listed"),
            (20, "approval.timeout", "'four hours' is not a duration"),
            (24, "production.waves[0].instances", "at least one production instance"),
            (26, "production.waves[1].instances[0].name", "already used by stages[1].environments[0]"),
            (29, "production.waves[1].instances[0].location", "'West Europe' is not an Azure region name"),
            (32, "changeTypes.rules[0].paths[0]", "Invalid glob"),
            (34, "supersede", "'sometimes' is not true or false"),
        };
        Assert.Equal(expected.Select(e => (e.Line, e.Field)), problems.Select(p => (p.Line, p.Field)));
        foreach (var (problem, (_, _, says)) in problems.Zip(expected))
        {
            Assert.Contains(says, problem.Message, StringComparison.Ordinal);
            Assert.Equal("stacks/web/delivery.yaml", problem.File);
        }
        Assert.Equal(23, Find(problems, "stages[0].environments[0].subscription").Column);
        Assert.Equal(9, Find(problems, "stages[1].environments[0].subscripton").Column);
        Assert.Equal("stacks/web/delivery.yaml(6,23): stages[0].environments[0].subscription: 'not-a-guid' is not a subscription id; write a GUID such as 00000000-0000-0000-0000-000000000000.",
            Find(problems, "stages[0].environments[0].subscription").ToString());
    }

    [Fact]
    public void Missing_sections_and_wrong_types_are_each_reported()
    {
        var problems = Problems(Lines(
            /* 1 */ "stages: dev",
            /* 2 */ "approval:",
            /* 3 */ "  approvers: [alice]",
            /* 4 */ "checks:",
            /* 5 */ "  http:",
            /* 6 */ "    name: health",
            /* 7 */ "lint: [no-unused-params]"));

        Assert.Equal(
            [(1, "template"), (1, "production"), (1, "stages"), (3, "approval.approvers"), (6, "checks.http"), (7, "lint")],
            problems.Select(p => (p.Line, p.Field)));
        Assert.Contains("'template' is required", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("Expected a list, found a single value", problems[2].Message, StringComparison.Ordinal);
        Assert.Contains("Expected a set of fields (users:, groups:), found a list", problems[3].Message, StringComparison.Ordinal);
        Assert.Contains("Expected a list, found a set of fields", problems[4].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("template: main.bicep\nstages:\n  - name: test\n    environments: [dev\napproval: {}\n", 4)]
    [InlineData("template: main.bicep\nsupersede: true\napproval:\n  timeout: 4h\n minimumApprovals: 2\n", 5)]
    [InlineData("template: main.bicep\napproval:\n\ttimeout: 4h\n", 3)]
    [InlineData("template: 'main.bicep\nsupersede: true\n", 1)]
    [InlineData("template: main.bicep\nstages: [\n  {name: test,\n   environments: dev: x}\n]\n", 4)]
    public void A_YAML_syntax_error_is_reported_with_its_line(string yaml, int line)
    {
        var problem = Assert.Single(Problems(yaml));

        Assert.StartsWith("YAML syntax error", problem.Message, StringComparison.Ordinal);
        Assert.Equal(line, problem.Line);
        Assert.Equal("", problem.Field);
    }

    [Theory]
    [InlineData("resource_group", "resourceGroup")]
    [InlineData("ResourceGroup", "resourceGroup")]
    [InlineData("subscripton", "subscription")]
    [InlineData("locaiton", "location")]
    [InlineData("parameter", "parameters")]
    [InlineData("health-url", "healthUrl")]
    [InlineData("loc", "location")]
    [InlineData("resourcegroup", "resourceGroup")]
    public void An_unknown_field_suggests_the_nearest_known_name(string typo, string meant)
    {
        var yaml = Valid.Replace("        location: westeurope", $"        location: westeurope\n        {typo}: x", StringComparison.Ordinal);

        var problem = Assert.Single(Problems(yaml));

        Assert.Equal($"stages[0].environments[0].{typo}", problem.Field);
        Assert.Equal($"Unknown field '{typo}'. Did you mean '{meant}'?", problem.Message);
        Assert.Equal(9, problem.Line);
        Assert.Equal(9, problem.Column);
    }

    [Fact]
    public void An_unknown_field_far_from_every_known_name_lists_the_known_names()
    {
        var problem = Assert.Single(Problems(Valid + "colour: blue\n"));

        Assert.Equal("colour", problem.Field);
        Assert.Equal("Unknown field 'colour'. Known fields here: template, supersede, stages, approval, production, checks, changeTypes, lint.", problem.Message);
    }

    [Theory]
    [InlineData("  minimumApprovals: 2", "  minimumApprovals: 0", "approval.minimumApprovals", "At least 1 approval")]
    [InlineData("  minimumApprovals: 2", "  minimumApprovals: two", "approval.minimumApprovals", "'two' is not a whole number")]
    [InlineData("  timeout: 4h", "  timeout: 31d", "approval.timeout", "at most 30 days")]
    [InlineData("  timeout: 4h", "  timeout: 30", "approval.timeout", "'30' is not a duration")]
    [InlineData("  timeout: 4h", "  authorMayApprove: yes", "approval.authorMayApprove", "'yes' is not true or false")]
    [InlineData("    users: [alice, bob]", "    users: [alice, bob, Alice]", "approval.approvers.users[2]", "'Alice' is listed twice")]
    [InlineData("    users: [alice, bob]", "    users: []", "approval.approvers.users", "empty list")]
    [InlineData("    users: [alice, bob]", "    admins: [alice, bob]", "approval.approvers.admins", "Known fields here: users, groups")]
    public void Approval_settings_are_checked(string line, string replacement, string field, string says)
    {
        var problems = Problems(Valid.Replace(line, replacement, StringComparison.Ordinal));

        Assert.Contains(problems, p => p.Field == field && p.Message.Contains(says, StringComparison.Ordinal));
    }

    [Fact]
    public void With_groups_listed_more_approvals_than_named_users_may_be_required()
    {
        var yaml = Valid.Replace("    users: [alice, bob]", "    users: [alice]\n    groups: [owners]", StringComparison.Ordinal)
            .Replace("  minimumApprovals: 2", "  minimumApprovals: 3", StringComparison.Ordinal);

        Assert.Empty(DeliveryYaml.Parse("delivery.yaml", yaml).Problems);
    }

    [Fact]
    public void Environment_names_and_resource_groups_are_unique_across_stages_and_production()
    {
        var yaml = Valid
            .Replace("        - name: prod", "        - name: dev", StringComparison.Ordinal)
            .Replace("rg-prod", "RG-DEV", StringComparison.Ordinal)
            .Replace("22222222-2222-2222-2222-222222222222", "11111111-1111-1111-1111-111111111111", StringComparison.Ordinal);

        var problems = Problems(yaml);

        Assert.Equal(["production.waves[0].instances[0].name", "production.waves[0].instances[0].resourceGroup"], problems.Select(p => p.Field));
        Assert.Equal([18, 20], problems.Select(p => p.Line));
        Assert.Contains("already used by stages[0].environments[0]", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("already the target of stages[0].environments[0]", problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_instances_cannot_be_ephemeral_and_waves_cannot_be_empty()
    {
        var ephemeral = Valid.Replace("          location: northeurope", "          location: northeurope\n          ephemeral: true", StringComparison.Ordinal);
        var empty = Valid[..Valid.IndexOf("production:", StringComparison.Ordinal)] + "production:\n  waves: []\n";

        var problem = Assert.Single(Problems(ephemeral));
        Assert.Equal(("production.waves[0].instances[0].ephemeral", 22), (problem.Field, problem.Line));
        Assert.Contains("cannot be ephemeral", problem.Message, StringComparison.Ordinal);
        var noWave = Assert.Single(Problems(empty));
        Assert.Equal(("production.waves", 15), (noWave.Field, noWave.Line));
        Assert.Contains("at least one wave", noWave.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("      url: https://x.example/health\n      output: healthUrl", "checks.http[0].output", "either 'url' or 'output'")]
    [InlineData("      expectedStatus: 700", "checks.http[0].expectedStatus", "not an HTTP status code")]
    [InlineData("      output: health-url", "checks.http[0].output", "not a deployment output name")]
    [InlineData("      url: ftp://x.example/", "checks.http[0].url", "not an absolute http or https URL")]
    [InlineData("      url: https://x.example/\n      retries: -1", "checks.http[0].retries", "between 0 and 100")]
    [InlineData("      timeout: 5s", "checks.http[0].url", "'url' or 'output'")]
    [InlineData("      url: https://x.example/\n      timeout: 0s", "checks.http[0].timeout", "more than zero")]
    public void Probe_settings_are_checked(string lines, string field, string says)
    {
        var yaml = Valid + $"checks:\n  http:\n    - name: health\n{lines}\n";

        var problems = Problems(yaml);

        Assert.Contains(problems, p => p.Field == field && p.Message.Contains(says, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/abs/**", "starts with '/'")]
    [InlineData("a//b", "empty path segment")]
    [InlineData("../x", "may not leave it")]
    [InlineData("src/{a,b}", "not supported")]
    [InlineData("a\\\\b", "separate folders with '/'")]
    public void Invalid_globs_are_reported(string glob, string says)
    {
        var problem = Assert.Single(Problems(Valid + $"changeTypes:\n  rules:\n    - paths: [\"{glob}\"]\n      type: network\n"));

        Assert.Equal("changeTypes.rules[0].paths[0]", problem.Field);
        Assert.Contains(says, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_files_repeated_fields_and_extra_documents_are_reported()
    {
        Assert.Contains("empty", Assert.Single(Problems("# nothing yet\n")).Message, StringComparison.Ordinal);
        Assert.Contains("more than one YAML document", Assert.Single(Problems(Valid + "---\ntemplate: x.bicep\n")).Message, StringComparison.Ordinal);
        var repeated = Assert.Single(Problems(Valid + "template: other.bicep\n"));
        Assert.Equal(("template", 24), (repeated.Field, repeated.Line));
    }

    [Fact]
    public void Hostile_nesting_is_reported_not_followed()
    {
        var problem = Assert.Single(Problems("template: " + new string('[', 100_000) + new string(']', 100_000) + "\n"));

        Assert.Contains("nested more than", problem.Message, StringComparison.Ordinal);
    }

    /// <summary>A small valid file the tests above break one way at a time.</summary>
    internal const string Valid = """
        template: main.bicep
        stages:
          - name: test
            environments:
              - name: dev
                subscription: 11111111-1111-1111-1111-111111111111
                resourceGroup: rg-dev
                location: westeurope
        approval:
          approvers:
            users: [alice, bob]
          minimumApprovals: 2
          timeout: 4h
        production:
          waves:
            - name: only
              instances:
                - name: prod
                  subscription: 22222222-2222-2222-2222-222222222222
                  resourceGroup: rg-prod
                  location: northeurope
                  parameters: parameters/prod.json
        supersede: false

        """;
}
