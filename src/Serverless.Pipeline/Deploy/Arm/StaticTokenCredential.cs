using Azure.Core;

namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// TEST DOUBLE ONLY (<c>Arm:StaticToken</c>): always the same bearer token, for the local ARM stand-in,
/// which accepts any. <see cref="ArmOptions"/> refuses it unless the endpoint is a loopback address.
/// </summary>
internal sealed class StaticTokenCredential(string token) : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(token, DateTimeOffset.UtcNow.AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
