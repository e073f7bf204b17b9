using Serverless.Pipeline.Deploy.Arm;

namespace Serverless.Pipeline.Tests.Deploy;

public sealed class ArmErrorTests
{
    [Theory]
    [InlineData(429, null, true)]
    [InlineData(500, "InternalServerError", true)]
    [InlineData(503, null, true)]
    [InlineData(408, null, true)]
    [InlineData(409, "AnotherOperationInProgress", true)]
    [InlineData(409, "Conflict", false)]
    [InlineData(409, "DeploymentActive", false)]
    [InlineData(400, "InvalidTemplate", false)]
    [InlineData(403, "AuthorizationFailed", false)]
    [InlineData(404, "ResourceGroupNotFound", false)]
    [InlineData(501, null, false)]
    public void Statuses_are_sorted_into_transient_and_permanent(int status, string? code, bool transient) =>
        Assert.Equal(transient, ArmFailures.IsTransientStatus(status, code));

    [Fact]
    public void A_nested_error_is_flattened_with_its_targets_and_an_embedded_provider_error_unpacked()
    {
        var body = JsonNode.Parse("""
        {"error":{"code":"DeploymentFailed","message":"At least one resource deployment operation failed.","details":[
          {"code":"ResourceDeploymentFailure","target":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet1",
           "message":"{\"status\":\"Failed\",\"error\":{\"code\":\"InUseSubnetCannotBeDeleted\",\"message\":\"Subnet app is in use.\"}}"}]}}
        """);

        var error = ArmError.FromBody(body)!;
        var text = error.Describe();

        Assert.Equal("DeploymentFailed", error.Code);
        Assert.Equal(["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet1"], error.FailedResources());
        Assert.Contains("- ResourceDeploymentFailure at Microsoft.Network/virtualNetworks/vnet1 (/subscriptions/s/", text, StringComparison.Ordinal);
        Assert.Contains("- InUseSubnetCannotBeDeleted: Subnet app is in use.", text, StringComparison.Ordinal);
        Assert.False(ArmFailures.IsTransient(error));
    }

    [Fact]
    public void A_deployment_that_failed_only_of_throttling_is_transient()
    {
        var error = ArmError.FromNode(JsonNode.Parse("""
            {"code":"DeploymentFailed","message":"m","details":[{"code":"TooManyRequests","message":"slow down"},{"code":"InternalServerError","message":"oops"}]}
            """))!;

        Assert.True(ArmFailures.IsTransient(error));
    }
}
