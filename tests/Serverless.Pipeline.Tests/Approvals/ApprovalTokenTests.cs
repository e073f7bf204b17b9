using Serverless.Pipeline.Approvals;

namespace Serverless.Pipeline.Tests.Approvals;

public sealed class ApprovalTokenTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly ApprovalClaims Claims = new("net.abcdef1234444444444444444444444444444444", "approval", ApprovalChoice.Approve, Now.AddHours(1), ApprovalToken.NewNonce());

    [Fact]
    public void A_signed_token_verifies_and_carries_its_claims()
    {
        var signer = Signer(ApprovalTestKit.Options());

        var (token, keyId) = signer.Sign(Claims);
        var check = signer.Verify(token);

        Assert.Equal("k1", keyId);
        Assert.Equal(TokenStatus.Valid, check.Status);
        Assert.Equal(Claims, check.Claims);
        Assert.StartsWith("k1.", token);
        Assert.Matches("^[A-Za-z0-9_.-]+$", token);
    }

    [Fact]
    public void A_token_whose_signature_was_altered_is_refused()
    {
        var signer = Signer(ApprovalTestKit.Options());
        var token = signer.Sign(Claims).Token;
        var last = token[^1] == 'A' ? 'B' : 'A';

        Assert.Equal(TokenStatus.BadSignature, signer.Verify(token[..^1] + last).Status);
        Assert.Equal(TokenStatus.BadSignature, signer.Verify(token[..(token.LastIndexOf('.') + 1)] + "not-a-signature").Status);
    }

    [Fact]
    public void A_token_whose_payload_was_altered_is_refused_even_if_it_still_reads()
    {
        var signer = Signer(ApprovalTestKit.Options());
        var reject = signer.Sign(Claims with { Choice = ApprovalChoice.Reject }).Token;
        var approve = signer.Sign(Claims).Token;
        // The approve link's payload with the reject link's signature: well formed, wrongly signed.
        var parts = approve.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{reject.Split('.')[2]}";

        var check = signer.Verify(forged);

        Assert.Equal(TokenStatus.BadSignature, check.Status);
        Assert.Equal(Claims.RunId, check.Claims!.RunId);
    }

    [Fact]
    public void A_genuine_token_past_its_expiry_is_expired()
    {
        var clock = new ManualClock(Now);
        var signer = Signer(ApprovalTestKit.Options(), clock);
        var token = signer.Sign(Claims).Token;

        clock.Now = Claims.ExpiresAt.AddSeconds(-1);
        Assert.Equal(TokenStatus.Valid, signer.Verify(token).Status);
        clock.Now = Claims.ExpiresAt;
        Assert.Equal(TokenStatus.Expired, signer.Verify(token).Status);
    }

    [Fact]
    public void A_token_signed_with_a_key_id_this_host_does_not_have_is_refused()
    {
        var other = Signer(ApprovalTestKit.Options("k9", ("k9", ApprovalTestKit.Key2)));
        var token = other.Sign(Claims).Token;

        Assert.Equal(TokenStatus.UnknownKey, Signer(ApprovalTestKit.Options()).Verify(token).Status);
    }

    [Fact]
    public void Moving_a_token_to_another_known_key_id_breaks_its_signature()
    {
        var signer = Signer(ApprovalTestKit.Options("k1", ("k1", ApprovalTestKit.Key1), ("k2", ApprovalTestKit.Key2)));
        var token = signer.Sign(Claims).Token;

        Assert.Equal(TokenStatus.BadSignature, signer.Verify("k2" + token[2..]).Status);
    }

    [Fact]
    public void After_rotation_old_links_stay_valid_while_their_key_is_configured_and_new_links_use_the_new_key()
    {
        var before = Signer(ApprovalTestKit.Options("k1", ("k1", ApprovalTestKit.Key1)));
        var old = before.Sign(Claims).Token;

        var rotated = Signer(ApprovalTestKit.Options("k2", ("k1", ApprovalTestKit.Key1), ("k2", ApprovalTestKit.Key2)));
        var (fresh, keyId) = rotated.Sign(Claims);
        var retired = Signer(ApprovalTestKit.Options("k2", ("k2", ApprovalTestKit.Key2)));

        Assert.Equal(TokenStatus.Valid, rotated.Verify(old).Status);
        Assert.Equal("k2", keyId);
        Assert.Equal(TokenStatus.Valid, rotated.Verify(fresh).Status);
        Assert.Equal(TokenStatus.UnknownKey, retired.Verify(old).Status);
        // Re-issuing a request's links keeps its original key while that key is configured.
        Assert.Equal("k1", rotated.Sign(Claims, keyId: "k1").KeyId);
        Assert.Equal("k2", retired.Sign(Claims, keyId: "k1").KeyId);
    }

    [Fact]
    public void A_single_SigningKey_is_key_id_default()
    {
        var signer = Signer(new ApprovalOptions { SigningKey = ApprovalTestKit.Key1 });

        var (token, keyId) = signer.Sign(Claims);

        Assert.Equal("default", keyId);
        Assert.Equal(TokenStatus.Valid, signer.Verify(token).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("k1")]
    [InlineData("k1.abc")]
    [InlineData("k1.abc.def.ghi")]
    [InlineData("k 1.abc.def")]
    [InlineData("k1.!!!.def")]
    public void Garbage_is_malformed(string token) =>
        Assert.Equal(TokenStatus.Malformed, Signer(ApprovalTestKit.Options()).Verify(token).Status);

    [Fact]
    public void A_well_signed_payload_that_is_not_a_v1_claim_set_is_malformed()
    {
        var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes("v2\nnet.abcdef1\napproval\na\n1\nnonce")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal(TokenStatus.Malformed, Signer(ApprovalTestKit.Options()).Verify($"k1.{payload}.AAAA").Status);
    }

    [Fact]
    public void Redacting_a_link_removes_the_signature_and_keeps_the_rest()
    {
        var token = Signer(ApprovalTestKit.Options()).Sign(Claims).Token;
        var link = $"https://pipeline.example/api/approvals/{token}";

        var redacted = ApprovalToken.Redact(link);

        Assert.DoesNotContain(token.Split('.')[2], redacted);
        Assert.Equal($"https://pipeline.example/api/approvals/{token[..(token.LastIndexOf('.') + 1)]}{ApprovalToken.RedactedSignature}", redacted);
        Assert.Equal(TokenStatus.BadSignature, Signer(ApprovalTestKit.Options()).Verify(ApprovalTestKit.TokenOf(redacted)).Status);
    }

    [Fact]
    public void Without_a_configured_key_signing_fails_clearly_until_an_ephemeral_key_is_chosen()
    {
        var log = new RecordingLogger<ApprovalKeyRing>();
        var ring = new ApprovalKeyRing(Options.Create(new ApprovalOptions()), log);
        var signer = new ApprovalSigner(ring, new ManualClock(Now));

        var error = Assert.Throws<InvalidOperationException>(() => signer.Sign(Claims));
        Assert.Contains("Approvals:SigningKey", error.Message);

        Assert.True(ring.UseEphemeralKeyIfNoneConfigured());
        ring.WarnIfEphemeral();
        var (token, keyId) = signer.Sign(Claims);
        Assert.True(ring.IsEphemeral);
        Assert.Contains("random key for this process only", Assert.Single(log.Lines));
        Assert.StartsWith("ephemeral-", keyId);
        Assert.Equal(TokenStatus.Valid, signer.Verify(token).Status);
        // Another process makes up another key: its links do not work here.
        var elsewhere = ApprovalTestKit.Ring(new ApprovalOptions());
        elsewhere.UseEphemeralKeyIfNoneConfigured();
        Assert.Equal(TokenStatus.UnknownKey, new ApprovalSigner(elsewhere, new ManualClock(Now)).Verify(token).Status);
    }

    [Fact]
    public void A_configured_key_is_never_replaced_by_an_ephemeral_one()
    {
        var ring = ApprovalTestKit.Ring(ApprovalTestKit.Options());

        Assert.False(ring.UseEphemeralKeyIfNoneConfigured());

        Assert.False(ring.IsEphemeral);
        Assert.Equal("k1", ring.Active.KeyId);
    }

    [Fact]
    public void Invalid_settings_stop_the_key_ring()
    {
        var error = Assert.Throws<OptionsValidationException>(() => ApprovalTestKit.Ring(new ApprovalOptions { SigningKey = "c2hvcnQ=" }));
        Assert.Contains("at least 32", error.Message);
    }

    private static ApprovalSigner Signer(ApprovalOptions options, TimeProvider? clock = null) =>
        new(ApprovalTestKit.Ring(options), clock ?? new ManualClock(Now));
}
