namespace Serverless.LocalArm.Tests;

/// <summary>A credential that always gives the same bearer token; the test double accepts any.</summary>
internal sealed class StaticTokenCredential : TokenCredential
{
    private static readonly AccessToken Token = new("local-arm-test-token", DateTimeOffset.UtcNow.AddHours(1));

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => Token;

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(Token);
}
