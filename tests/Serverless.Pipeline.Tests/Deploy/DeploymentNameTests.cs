using Serverless.Pipeline.Deploy.Arm;

namespace Serverless.Pipeline.Tests.Deploy;

public sealed class DeploymentNameTests
{
    [Fact]
    public void A_name_is_stable_readable_and_valid_for_ARM()
    {
        var name = DeploymentName.For("3f2c9a0e-run", "dev", 1);

        Assert.Equal(name, DeploymentName.For("3f2c9a0e-run", "dev", 1));
        Assert.Matches("^pipe-dev-[0-9a-f]{16}-1$", name);
        Assert.True(DeploymentName.IsValid(name));
    }

    [Fact]
    public void Run_environment_and_attempt_each_change_the_name()
    {
        var names = new[]
        {
            DeploymentName.For("run-a", "dev", 1),
            DeploymentName.For("run-b", "dev", 1),
            DeploymentName.For("run-a", "staging", 1),
            DeploymentName.For("run-a", "dev", 2),
        };

        Assert.Equal(names.Length, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Long_or_odd_environment_names_still_give_valid_distinct_names_of_at_most_64_characters()
    {
        var stem = new string('x', 80);
        var first = DeploymentName.For("run", stem + "-one", int.MaxValue);
        var second = DeploymentName.For("run", stem + "-two", int.MaxValue);
        var odd = DeploymentName.For("run", "Prod West/Europe (ü)", 3);

        Assert.All(new[] { first, second, odd }, n => Assert.True(n.Length <= DeploymentName.MaxLength && DeploymentName.IsValid(n), n));
        Assert.NotEqual(first, second);
        Assert.StartsWith("pipe-prod-west-europe-", odd, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("ends-with.")]
    [InlineData("slash/inside")]
    public void Invalid_names_are_recognised(string name) => Assert.False(DeploymentName.IsValid(name));
}
