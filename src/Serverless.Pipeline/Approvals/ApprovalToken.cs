using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Serverless.Pipeline.Runs;

namespace Serverless.Pipeline.Approvals;

/// <summary>What an approval link says: this decision, on this gate of this run, until then, once (the nonce).</summary>
public sealed record ApprovalClaims(string RunId, string Gate, ApprovalChoice Choice, DateTimeOffset ExpiresAt, string Nonce);

public enum TokenStatus
{
    Valid,

    /// <summary>Not a token at all.</summary>
    Malformed,

    /// <summary>Signed with a key id this host does not know (never configured, or removed after rotation).</summary>
    UnknownKey,

    /// <summary>The signature does not match: the link was changed.</summary>
    BadSignature,

    /// <summary>Genuine, but past its expiry.</summary>
    Expired,
}

/// <summary>
/// The result of checking a link. <see cref="Claims"/> is whatever the token says when it could be read,
/// even if the signature is wrong: use it only to attribute the refusal, never to act.
/// </summary>
public sealed record TokenCheck(TokenStatus Status, ApprovalClaims? Claims, string? KeyId)
{
    public bool IsValid => Status == TokenStatus.Valid;
}

/// <summary>
/// The approval link token: <c>{keyId}.{payload}.{signature}</c>, URL-safe without escaping.
/// <list type="bullet">
/// <item>payload = base64url(UTF-8 of <c>v1\n{runId}\n{gate}\n{a|r}\n{expiry, unix seconds}\n{nonce}</c>)</item>
/// <item>signature = base64url(HMAC-SHA256(key[keyId], ASCII of <c>{keyId}.{payload}</c>))</item>
/// </list>
/// The key id is inside the signed text, so a link cannot be moved to another key.
/// </summary>
public static partial class ApprovalToken
{
    private const string Version = "v1";
    private const int MaxTokenLength = 1024;
    public const string RedactedSignature = "REDACTED";

    public static string Sign(ApprovalClaims claims, string keyId, byte[] key)
    {
        if (!ApprovalOptions.KeyIdPattern().IsMatch(keyId)) throw new ArgumentException($"'{keyId}' is not a valid key id.", nameof(keyId));
        if (!IsValidGate(claims.Gate)) throw new ArgumentException($"'{claims.Gate}' is not a valid gate name.", nameof(claims));
        if (!RunId.TryParse(claims.RunId, out _)) throw new ArgumentException($"'{claims.RunId}' is not a run id.", nameof(claims));
        if (!NoncePattern().IsMatch(claims.Nonce)) throw new ArgumentException("The nonce is not valid.", nameof(claims));

        var text = string.Join('\n', Version, claims.RunId, claims.Gate, claims.Choice == ApprovalChoice.Approve ? "a" : "r",
            claims.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), claims.Nonce);
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
        var signed = $"{keyId}.{payload}";
        return $"{signed}.{Mac(key, signed)}";
    }

    /// <summary>Checks a token: its form, its key, its signature (in constant time), then its expiry.</summary>
    public static TokenCheck Verify(string? token, Func<string, byte[]?> keys, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength) return new TokenCheck(TokenStatus.Malformed, null, null);
        var parts = token.Split('.');
        if (parts.Length != 3 || !ApprovalOptions.KeyIdPattern().IsMatch(parts[0])) return new TokenCheck(TokenStatus.Malformed, null, null);
        var (keyId, payload, signature) = (parts[0], parts[1], parts[2]);
        var claims = ReadPayload(payload);
        if (claims is null) return new TokenCheck(TokenStatus.Malformed, null, keyId);

        if (keys(keyId) is not { } key) return new TokenCheck(TokenStatus.UnknownKey, claims, keyId);
        byte[] given;
        try
        {
            given = Base64Url.DecodeFromChars(signature);
        }
        catch (FormatException)
        {
            return new TokenCheck(TokenStatus.BadSignature, claims, keyId);
        }
        var expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{keyId}.{payload}"));
        if (!CryptographicOperations.FixedTimeEquals(expected, given)) return new TokenCheck(TokenStatus.BadSignature, claims, keyId);

        return now >= claims.ExpiresAt
            ? new TokenCheck(TokenStatus.Expired, claims, keyId)
            : new TokenCheck(TokenStatus.Valid, claims, keyId);
    }

    /// <summary>A new random nonce: 128 bits, base64url.</summary>
    public static string NewNonce() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    public static bool IsValidGate(string? gate) => gate is not null && GatePattern().IsMatch(gate);

    /// <summary>
    /// A link or token with its signature replaced, for logs and orchestration history: it still shows
    /// which run, gate and decision it is for, but it no longer works.
    /// </summary>
    public static string Redact(string linkOrToken)
    {
        var slash = linkOrToken.LastIndexOf('/');
        var token = linkOrToken[(slash + 1)..];
        var lastDot = token.LastIndexOf('.');
        if (lastDot < 0 || token.IndexOf('.') == lastDot) return linkOrToken[..(slash + 1)] + RedactedSignature;
        return linkOrToken[..(slash + 1)] + token[..(lastDot + 1)] + RedactedSignature;
    }

    private static string Mac(byte[] key, string signed) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signed)));

    private static ApprovalClaims? ReadPayload(string payload)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(payload));
        }
        catch (FormatException)
        {
            return null;
        }
        var fields = text.Split('\n');
        if (fields.Length != 6 || fields[0] != Version) return null;
        if (!RunId.TryParse(fields[1], out _) || !IsValidGate(fields[2]) || fields[3] is not ("a" or "r")) return null;
        if (!long.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry) || expiry > 253402300799) return null;
        if (!NoncePattern().IsMatch(fields[5])) return null;
        return new ApprovalClaims(fields[1], fields[2], fields[3] == "a" ? ApprovalChoice.Approve : ApprovalChoice.Reject,
            DateTimeOffset.FromUnixTimeSeconds(expiry), fields[5]);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")]
    private static partial Regex GatePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{16,64}$")]
    private static partial Regex NoncePattern();
}

/// <summary>Signs and checks approval links with the configured keys.</summary>
public sealed class ApprovalSigner(ApprovalKeyRing keys, TimeProvider clock)
{
    /// <summary>The key id that signs new links.</summary>
    public string ActiveKeyId => keys.Active.KeyId;

    /// <summary>Signs with the active key, or with <paramref name="keyId"/> if that key is still configured (re-issuing the same links).</summary>
    public (string Token, string KeyId) Sign(ApprovalClaims claims, string? keyId = null)
    {
        if (keyId is not null && keys.TryGet(keyId, out var existing)) return (ApprovalToken.Sign(claims, keyId, existing), keyId);
        var (activeId, key) = keys.Active;
        return (ApprovalToken.Sign(claims, activeId, key), activeId);
    }

    public TokenCheck Verify(string? token) =>
        ApprovalToken.Verify(token, id => keys.TryGet(id, out var key) ? key : null, clock.GetUtcNow());
}
