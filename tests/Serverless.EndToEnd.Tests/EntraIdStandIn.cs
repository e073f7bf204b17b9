using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Serverless.EndToEnd.Tests;

/// <summary>
/// Entra ID's token issuer for one tenant, as LocalHost sees it: the v2.0 OpenID Connect metadata and signing keys, served
/// in this process on a free loopback port, and the access tokens it would issue, signed with an RSA key made here.
/// Tokens are written by hand (not with the library under test), so the test checks LocalHost against the format.
/// It serves https with a self-signed certificate that LocalHost trusts through <c>AzureAd:TrustedCertificateFile</c>:
/// Microsoft.Identity.Web's issuer validator reads the metadata itself and only over https.
/// </summary>
public sealed class EntraIdStandIn : IAsyncDisposable
{
    public static readonly string TenantId = Guid.NewGuid().ToString();
    public static readonly string ClientId = Guid.NewGuid().ToString();

    private readonly RSA _signingKey = RSA.Create(2048);
    private readonly WebApplication _app;
    private readonly X509Certificate2 _serving;
    private readonly string _certificateFile;

    private EntraIdStandIn(WebApplication app, X509Certificate2 serving, string certificateFile) =>
        (_app, _serving, _certificateFile) = (app, serving, certificateFile);

    public Uri Instance { get; private set; } = null!;
    public string Issuer => $"{Instance}{TenantId}/v2.0";
    public string KeyId { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>LocalHost's settings that trust this issuer, and its certificate only.</summary>
    public IReadOnlyDictionary<string, string> HostSettings => new Dictionary<string, string>
    {
        ["AzureAd:Instance"] = Instance.ToString(),
        ["AzureAd:TenantId"] = TenantId,
        ["AzureAd:ClientId"] = ClientId,
        ["AzureAd:TrustedCertificateFile"] = _certificateFile,
    };

    public static async Task<EntraIdStandIn> StartAsync()
    {
        using var certificate = CreateCertificate();
        var certificateFile = Path.Combine(Directory.CreateTempSubdirectory("entra-stand-in-").FullName, "issuer.pem");
        await File.WriteAllTextAsync(certificateFile, certificate.ExportCertificatePem());
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        var serving = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(serving)));
        var standIn = new EntraIdStandIn(builder.Build(), serving, certificateFile);
        standIn.Map();
        await standIn._app.StartAsync();
        var address = standIn._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        standIn.Instance = new Uri(address.TrimEnd('/') + "/");
        return standIn;
    }

    /// <summary>
    /// A v2.0 access token for this API (or <paramref name="audience"/>) from this tenant (or <paramref name="tenant"/>,
    /// signed with the same key, as Entra ID signs every tenant's tokens), with the app roles given (null: no <c>roles</c>).
    /// </summary>
    public string IssueToken(string[]? roles, string user = "ann@contoso.example", string? audience = null, DateTimeOffset? expires = null,
        RSA? signWith = null, string? tenant = null)
    {
        tenant ??= TenantId;
        var expiry = expires ?? DateTimeOffset.UtcNow.AddMinutes(30);
        var issuedAt = expiry.AddHours(-1);
        var payload = new Dictionary<string, object>
        {
            ["aud"] = audience ?? ClientId,
            ["iss"] = $"{Instance}{tenant}/v2.0",
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
            ["nbf"] = issuedAt.ToUnixTimeSeconds(),
            ["exp"] = expiry.ToUnixTimeSeconds(),
            ["azp"] = "0f0e0d0c-0000-4000-8000-00000000c11e",
            ["name"] = "Ann Example",
            ["oid"] = "6a3c1f0e-0000-4000-8000-0000000000a1",
            ["preferred_username"] = user,
            ["sub"] = "ann-subject",
            ["tid"] = tenant,
            ["ver"] = "2.0",
        };
        if (roles is not null) payload["roles"] = roles;
        return Sign(payload, signWith ?? _signingKey);
    }

    /// <summary>
    /// A v1.0 access token, as Entra ID issues for an API whose registration does not ask for v2.0 tokens (the default):
    /// issued by sts.windows.net, for the App ID URI <c>api://{ClientId}</c>, naming the user by <c>upn</c>.
    /// </summary>
    public string IssueV1Token(string[] roles, string user)
    {
        var now = DateTimeOffset.UtcNow;
        return Sign(new Dictionary<string, object>
        {
            ["aud"] = $"api://{ClientId}",
            ["iss"] = $"https://sts.windows.net/{TenantId}/",
            ["iat"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
            ["nbf"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(55).ToUnixTimeSeconds(),
            ["appid"] = "0f0e0d0c-0000-4000-8000-00000000c11e",
            ["name"] = "Ann Example",
            ["oid"] = "6a3c1f0e-0000-4000-8000-0000000000a1",
            ["roles"] = roles,
            ["tid"] = TenantId,
            ["unique_name"] = user,
            ["upn"] = user,
            ["ver"] = "1.0",
        }, _signingKey);
    }

    private string Sign(Dictionary<string, object> payload, RSA key)
    {
        var signed = $"{Encode(new { alg = "RS256", kid = KeyId, typ = "JWT" })}.{Encode(payload)}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Base64Url(signature)}";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _signingKey.Dispose();
        _serving.Dispose();
        try { Directory.Delete(Path.GetDirectoryName(_certificateFile)!, recursive: true); } catch (IOException) { }
    }

    /// <summary>Self-signed, for 127.0.0.1 only, valid for a day.</summary>
    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Entra ID stand-in for tests", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    private void Map()
    {
        _app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) =>
        {
            return tenant != TenantId ? Results.NotFound() : Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = Issuer,
                ["authorization_endpoint"] = $"{Instance}{TenantId}/oauth2/v2.0/authorize",
                ["token_endpoint"] = $"{Instance}{TenantId}/oauth2/v2.0/token",
                ["jwks_uri"] = $"{Instance}{TenantId}/discovery/v2.0/keys",
                ["response_types_supported"] = new[] { "code", "id_token", "code id_token", "id_token token" },
                ["subject_types_supported"] = new[] { "pairwise" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                ["tenant_region_scope"] = "EU",
            });
        });
        // The v1.0 metadata: Microsoft.Identity.Web's issuer validator reads it for tokens from sts.windows.net.
        _app.MapGet("/{tenant}/.well-known/openid-configuration", (string tenant) =>
        {
            return tenant != TenantId ? Results.NotFound() : Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = $"https://sts.windows.net/{TenantId}/",
                ["authorization_endpoint"] = $"{Instance}{TenantId}/oauth2/authorize",
                ["token_endpoint"] = $"{Instance}{TenantId}/oauth2/token",
                ["jwks_uri"] = $"{Instance}{TenantId}/discovery/keys",
                ["response_types_supported"] = new[] { "code", "id_token", "code id_token", "token id_token", "token" },
                ["subject_types_supported"] = new[] { "pairwise" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            });
        });
        _app.MapGet("/{tenant}/discovery/keys", (string tenant) => tenant != TenantId ? Results.NotFound() : Results.Json(Keys()));
        _app.MapGet("/{tenant}/discovery/v2.0/keys", (string tenant) => tenant != TenantId ? Results.NotFound() : Results.Json(Keys()));
    }

    /// <summary>The signing key as a JWK set; like Entra ID's, the key names the v2.0 issuer it signs for.</summary>
    private object Keys()
    {
        var key = _signingKey.ExportParameters(includePrivateParameters: false);
        return new { keys = new[] { new { kty = "RSA", use = "sig", kid = KeyId, n = Base64Url(key.Modulus!), e = Base64Url(key.Exponent!), issuer = Issuer } } };
    }

    private static string Encode(object value) => Base64Url(JsonSerializer.SerializeToUtf8Bytes(value));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
