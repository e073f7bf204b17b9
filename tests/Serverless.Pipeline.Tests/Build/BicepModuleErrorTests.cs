namespace Serverless.Pipeline.Tests.Build;

/// <summary>A module that does not compile: the problem to fix, the module's own error, comes first.</summary>
public sealed class BicepModuleErrorTests : IDisposable
{
    private readonly StackInspections _inspections = new();

    [Fact]
    public async Task The_error_of_a_nested_module_comes_before_the_modules_that_reference_it()
    {
        var repo = _inspections.Track(GitStack.WithTestStack("web-estate"));
        var commit = repo.Edit("modules/network/routes.bicep", t => t.Replace("disableBgpRoutePropagation: true", "disableBgpRoutePropagation: keepRoutes"))
            .Commit("A name the route table module does not declare");

        var inspection = await _inspections.InspectAsync(repo, commit);

        Assert.Equal(
            [("modules/network/routes.bicep", "BCP057"), ("modules/network.bicep", "BCP104"), ("main.bicep", "BCP104")],
            inspection.Problems.Select(p => (p.File, p.Field)));
        var cause = inspection.Problems[0];
        Assert.Equal((13, 33), (cause.Line, cause.Column));
        Assert.Contains("\"keepRoutes\" does not exist", cause.Message, StringComparison.Ordinal);
        Assert.True(inspection.Log.IndexOf("BCP057", StringComparison.Ordinal) < inspection.Log.IndexOf("BCP104", StringComparison.Ordinal),
            "The log lists the module's own error first too.");
    }

    public void Dispose() => _inspections.Dispose();
}
