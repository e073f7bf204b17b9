using Microsoft.Extensions.Configuration;
using Serverless.Pipeline.Deploy.Arm;

namespace Serverless.Pipeline.Tests.Deploy;

public sealed class ArmOptionsTests
{
    [Fact]
    public void The_defaults_are_the_public_cloud_and_valid()
    {
        var options = new ArmOptions();

        Assert.Equal(new Uri("https://management.azure.com/"), options.Endpoint);
        Assert.False(options.UsesTestDoubleSettings);
        Assert.Empty(options.Problems());
    }

    [Theory]
    [InlineData("https://management.azure.com/", "token", null)]
    [InlineData("https://management.azure.com/", null, "/tmp/localarm.pem")]
    [InlineData("https://10.0.0.4:8443/", "token", null)]
    public void Test_double_settings_are_refused_unless_the_endpoint_is_loopback(string endpoint, string? token, string? certificate)
    {
        var options = new ArmOptions { Endpoint = new Uri(endpoint), StaticToken = token, TrustedCertificateFile = certificate };

        Assert.Contains(options.Problems(), p => p.Contains("test double only", StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => ArmClientFactory.Create(options));
    }

    [Theory]
    [InlineData("https://127.0.0.1:5443/")]
    [InlineData("https://localhost:5443/")]
    [InlineData("https://[::1]:5443/")]
    public void Test_double_settings_are_accepted_on_loopback(string endpoint) =>
        Assert.Empty(new ArmOptions { Endpoint = new Uri(endpoint), StaticToken = "t", TrustedCertificateFile = "/tmp/x.pem" }.Problems());

    [Fact]
    public void Plain_http_and_nonsense_settings_are_reported()
    {
        var problems = new ArmOptions { Endpoint = new Uri("http://127.0.0.1:5000/"), PollInterval = TimeSpan.Zero, MaxAttempts = 0 }.Problems();

        Assert.Equal(3, problems.Count);
    }

    [Fact]
    public void A_host_refuses_to_start_with_a_static_token_for_Azure()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Arm:StaticToken"] = "oops" }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddArmDeployer().BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ArmOptions>>().Value);
        Assert.Contains("test double only", error.Message, StringComparison.Ordinal);
    }
}
