namespace Serverless.Pipeline.Tests.Definition;

public sealed class ChangeTypeClassifierTests
{
    private static readonly ChangeTypePolicy Policy = new(
        [
            new ChangeTypeRule(["network/**", "**/*.vnet.bicep"], "network"),
            new ChangeTypeRule(["database/**", "**/*.sql"], "database"),
            new ChangeTypeRule(["*.bicep", "modules/?pp/*.bicep"], "compute"),
        ],
        "configuration");

    [Theory]
    [InlineData("network/vnet.bicep", "network")]
    [InlineData("network/a/b/c/peering.bicep", "network")]
    [InlineData("modules/hub.vnet.bicep", "network")]
    [InlineData("hub.vnet.bicep", "network")]
    [InlineData("database/schema.bicep", "database")]
    [InlineData("scripts/migrations/001.sql", "database")]
    [InlineData("main.bicep", "compute")]
    [InlineData("modules/app/site.bicep", "compute")]
    [InlineData("modules/apps/site.bicep", "configuration")]
    [InlineData("modules/web/site.bicep", "configuration")]
    [InlineData("parameters/dev.json", "configuration")]
    [InlineData("./network/vnet.bicep", "network")]
    [InlineData("network\\vnet.bicep", "network")]
    [InlineData("Network/vnet.bicep", "configuration")]
    public void A_single_path_gets_the_type_of_the_first_rule_it_matches(string path, string type) =>
        Assert.Equal(type, ChangeTypeClassifier.Classify(Policy, [path]));

    [Fact]
    public void The_first_rule_matching_any_changed_path_wins_whatever_the_order_of_the_paths()
    {
        Assert.Equal("network", ChangeTypeClassifier.Classify(Policy, ["main.bicep", "db/x.sql", "network/nsg.bicep"]));
        Assert.Equal("database", ChangeTypeClassifier.Classify(Policy, ["main.bicep", "db/x.sql"]));
    }

    [Fact]
    public void A_path_matching_several_globs_of_later_rules_takes_the_earliest_rule()
    {
        // network/** (rule 1) and **/*.sql (rule 2) both match.
        Assert.Equal("network", ChangeTypeClassifier.Classify(Policy, ["network/routes.sql"]));
    }

    [Fact]
    public void Without_a_matching_rule_or_any_changed_path_the_default_type_applies()
    {
        Assert.Equal("configuration", ChangeTypeClassifier.Classify(Policy, ["README.md", "parameters/prod.json"]));
        Assert.Equal("configuration", ChangeTypeClassifier.Classify(Policy, []));
        Assert.Equal("other", ChangeTypeClassifier.Classify(ChangeTypePolicy.None, ["main.bicep"]));
    }

    [Theory]
    [InlineData("**", "a/b/c.txt", true)]
    [InlineData("**/x.bicep", "x.bicep", true)]
    [InlineData("a/**/b/*.json", "a/b/c.json", true)]
    [InlineData("a/**/b/*.json", "a/1/2/b/c.json", true)]
    [InlineData("a/**/b/*.json", "a/1/2/b/d/c.json", false)]
    [InlineData("*.bicep", "modules/x.bicep", false)]
    [InlineData("modules/*", "modules/x/y.bicep", false)]
    [InlineData("file?.json", "file1.json", true)]
    [InlineData("file?.json", "file12.json", false)]
    [InlineData("file?.json", "file/.json", false)]
    [InlineData("a.b+c(1).json", "a.b+c(1).json", true)]
    [InlineData("a.b", "aXb", false)]
    public void Globs_match_star_double_star_and_question_mark(string glob, string path, bool matches) =>
        Assert.Equal(matches, GlobPattern.Create(glob).IsMatch(path));

    [Theory]
    [InlineData("")]
    [InlineData("/x")]
    [InlineData("a/**b")]
    [InlineData("a/../b")]
    [InlineData("a/")]
    [InlineData("[ab].json")]
    [InlineData("!a.json")]
    public void Invalid_globs_are_refused_with_a_reason(string glob)
    {
        Assert.False(GlobPattern.TryCreate(glob, out var pattern, out var error));
        Assert.Null(pattern);
        Assert.False(string.IsNullOrEmpty(error));
    }
}
