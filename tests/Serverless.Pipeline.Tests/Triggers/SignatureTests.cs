using Microsoft.Extensions.Configuration;
using Serverless.Pipeline.Triggers;

namespace Serverless.Pipeline.Tests.Triggers;

public sealed class SignatureTests
{
    [Fact]
    public void GitHubs_documented_example_verifies()
    {
        // The example of GitHub's "Validating webhook deliveries" documentation.
        var body = Encoding.UTF8.GetBytes("Hello, World!");
        const string Signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

        Assert.True(GitHubSignature.IsValid(body, "It's a Secret to Everybody", Signature));
        Assert.Equal(Signature, GitHubSignature.Sign(body, "It's a Secret to Everybody"));
    }

    [Fact]
    public void A_signature_of_the_real_payload_verifies_only_with_its_secret_and_body()
    {
        var body = Payloads.Read("github-push.json");
        var signature = GitHubSignature.Sign(body, "s3cret");
        var tampered = (byte[])body.Clone();
        tampered[^3] ^= 1;

        Assert.True(GitHubSignature.IsValid(body, "s3cret", signature));
        Assert.True(GitHubSignature.IsValid(body, "s3cret", signature.ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal)));
        Assert.False(GitHubSignature.IsValid(body, "other", signature));
        Assert.False(GitHubSignature.IsValid(tampered, "s3cret", signature));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e177")]
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    public void A_missing_or_malformed_signature_never_verifies(string? header) =>
        Assert.False(GitHubSignature.IsValid(Encoding.UTF8.GetBytes("Hello, World!"), "It's a Secret to Everybody", header));

    [Fact]
    public void An_empty_secret_verifies_nothing() =>
        Assert.False(GitHubSignature.IsValid([], "", GitHubSignature.Sign([], "")));

    [Theory]
    [InlineData("s3cret", "s3cret", true)]
    [InlineData("s3cret", "s3cre", false)]
    [InlineData("s3cret", "s3cret-and-more", false)]
    [InlineData("S3CRET", "s3cret", false)]
    [InlineData("", "", false)]
    [InlineData(null, "s3cret", false)]
    [InlineData("s3cret", null, false)]
    public void Shared_secrets_match_exactly(string? given, string? expected, bool matches) =>
        Assert.Equal(matches, SharedSecret.Matches(given, expected));

    [Fact]
    public void Repository_secrets_are_found_by_full_name_in_any_case_and_fall_back_to_the_default()
    {
        var options = new GitHubTriggerOptions { DefaultSecret = "default" };
        options.Secrets["contoso/platform-network"] = "network";

        Assert.Equal("network", options.SecretFor("Contoso/Platform-Network"));
        Assert.Equal("default", options.SecretFor("contoso/platform-data"));
        Assert.Equal("default", options.SecretFor(null));
        Assert.Null(new GitHubTriggerOptions().SecretFor("contoso/platform-network"));
    }

    [Fact]
    public void Repository_secrets_bind_from_configuration_as_a_map_or_as_a_list()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Triggers:GitHub:DefaultSecret"] = "default",
            ["Triggers:GitHub:Secrets:contoso/platform-network"] = "network",
            // As environment variables name them (Triggers__GitHub__Repositories__0__Name), where '/' and '-' are not allowed.
            ["Triggers:GitHub:Repositories:0:Name"] = "contoso/platform-data",
            ["Triggers:GitHub:Repositories:0:Secret"] = "data",
        }).Build();

        var options = new TriggerOptions();
        configuration.GetSection(TriggerOptions.Section).Bind(options);

        Assert.Equal("network", options.GitHub.SecretFor("contoso/PLATFORM-network"));
        Assert.Equal("data", options.GitHub.SecretFor("contoso/platform-data"));
        Assert.Equal("default", options.GitHub.SecretFor("contoso/other"));
    }
}
