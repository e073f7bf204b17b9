using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Serverless.Pipeline.Approvals;

/// <summary>
/// The keys that sign and verify approval links, by key id. Links carry their key id, so a rotated-out
/// key keeps verifying the links it signed for as long as it stays configured.
/// </summary>
public sealed class ApprovalKeyRing
{
    private readonly Lock _gate = new();
    private readonly ILogger<ApprovalKeyRing> _log;
    private Dictionary<string, byte[]> _keys;
    private string? _activeKeyId;

    public ApprovalKeyRing(IOptions<ApprovalOptions> options, ILogger<ApprovalKeyRing> log)
    {
        _log = log;
        var settings = options.Value;
        var problems = settings.Problems();
        if (problems.Count > 0) throw new OptionsValidationException(ApprovalOptions.Section, typeof(ApprovalOptions), problems);
        _keys = settings.DecodedKeys();
        _activeKeyId = _keys.Count > 0 ? settings.ResolveActiveKeyId(_keys) : null;
    }

    /// <summary>Whether the only key is one this process made up (links die with the process).</summary>
    public bool IsEphemeral { get; private set; }

    /// <summary>
    /// Self-hosted mode without a configured key: make up a random key for this process. Links then stop working
    /// when it stops, and other processes on the same task hub refuse them; call <see cref="WarnIfEphemeral"/> to say so.
    /// Returns whether it did (false when a key is configured).
    /// </summary>
    public bool UseEphemeralKeyIfNoneConfigured()
    {
        lock (_gate)
        {
            if (_activeKeyId is not null) return false;
            var id = "ephemeral-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            _keys = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase) { [id] = RandomNumberGenerator.GetBytes(ApprovalOptions.MinimumKeyBytes) };
            _activeKeyId = id;
            IsEphemeral = true;
            return true;
        }
    }

    public void WarnIfEphemeral()
    {
        if (!IsEphemeral) return;
        _log.LogWarning(
            "No approval signing key is configured (Approvals:SigningKey or Approvals:SigningKeys:{{id}}): using a random key for this process only. " +
            "Approval links stop working when it stops and are refused by other hosts.");
    }

    /// <summary>The id and key that sign new links.</summary>
    public (string KeyId, byte[] Key) Active
    {
        get
        {
            lock (_gate)
            {
                if (_activeKeyId is null)
                    throw new InvalidOperationException(
                        "No approval signing key is configured: set Approvals:SigningKey (base64, at least 32 bytes), " +
                        "or Approvals:SigningKeys:{id} with Approvals:ActiveKeyId.");
                return (_activeKeyId, _keys[_activeKeyId]);
            }
        }
    }

    public bool TryGet(string keyId, out byte[] key)
    {
        lock (_gate)
        {
            if (_keys.TryGetValue(keyId, out var found))
            {
                key = found;
                return true;
            }
        }
        key = [];
        return false;
    }
}
