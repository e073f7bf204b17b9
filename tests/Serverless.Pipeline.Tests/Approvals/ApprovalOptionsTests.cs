using Serverless.Pipeline.Approvals;

namespace Serverless.Pipeline.Tests.Approvals;

public sealed class ApprovalOptionsTests
{
    [Fact]
    public void No_settings_at_all_are_valid_the_host_decides_what_to_do_without_a_key() =>
        Assert.Empty(new ApprovalOptions().Problems());

    [Theory]
    [InlineData("not base64!", "not base64")]
    [InlineData("c2hvcnQ=", "at least 32")]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/approvals-signing-key/)", "Key Vault reference was not resolved")]
    public void A_bad_single_key_is_named(string key, string mention) =>
        Assert.Contains(new ApprovalOptions { SigningKey = key }.Problems(), p => p.Contains("Approvals:SigningKey", StringComparison.Ordinal) && p.Contains(mention, StringComparison.Ordinal));

    [Fact]
    public void Several_keys_need_an_active_key_id_that_exists()
    {
        var several = new ApprovalOptions { SigningKeys = { ["k1"] = ApprovalTestKit.Key1, ["k2"] = ApprovalTestKit.Key2 } };

        Assert.Contains(several.Problems(), p => p.Contains("ActiveKeyId", StringComparison.Ordinal));
        several.ActiveKeyId = "k3";
        Assert.Contains(several.Problems(), p => p.Contains("'k3' names no configured key", StringComparison.Ordinal));
        several.ActiveKeyId = "k2";
        Assert.Empty(several.Problems());
    }

    [Fact]
    public void The_single_key_and_a_keyed_default_may_not_both_exist() =>
        Assert.Contains(new ApprovalOptions { SigningKey = ApprovalTestKit.Key1, SigningKeys = { ["default"] = ApprovalTestKit.Key2 } }.Problems(),
            p => p.Contains("both define key id 'default'", StringComparison.Ordinal));

    [Fact]
    public void Rotating_away_from_the_single_key_keeps_it_as_default()
    {
        var options = new ApprovalOptions { SigningKey = ApprovalTestKit.Key1, SigningKeys = { ["k2"] = ApprovalTestKit.Key2 }, ActiveKeyId = "k2" };

        Assert.Empty(options.Problems());
        Assert.Equal(["default", "k2"], options.DecodedKeys().Keys.Order());
    }

    [Theory]
    [InlineData("PublicBaseUrl", "ftp://x")]
    [InlineData("PublicBaseUrl", "pipeline.example")]
    [InlineData("NotificationWebhookUrl", "not a url")]
    [InlineData("ReminderFraction", "1")]
    [InlineData("ReminderFraction", "-0.1")]
    public void Other_bad_values_are_named(string setting, string value)
    {
        var options = new ApprovalOptions();
        switch (setting)
        {
            case "PublicBaseUrl": options.PublicBaseUrl = value; break;
            case "NotificationWebhookUrl": options.NotificationWebhookUrl = value; break;
            default: options.ReminderFraction = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
        }

        Assert.Contains(options.Problems(), p => p.Contains(setting, StringComparison.Ordinal));
    }

    [Fact]
    public void The_principal_header_is_trusted_only_when_configured_or_App_Service_authentication_is_on()
    {
        Assert.True(new ApprovalOptions { TrustClientPrincipalHeader = true }.TrustsClientPrincipalHeader);
        Assert.False(new ApprovalOptions { TrustClientPrincipalHeader = false }.TrustsClientPrincipalHeader);
        Assert.Equal(
            string.Equals(Environment.GetEnvironmentVariable("WEBSITE_AUTH_ENABLED"), "true", StringComparison.OrdinalIgnoreCase),
            new ApprovalOptions().TrustsClientPrincipalHeader);
    }
}
