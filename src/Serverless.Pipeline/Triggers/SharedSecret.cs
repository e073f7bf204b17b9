using System.Security.Cryptography;
using System.Text;

namespace Serverless.Pipeline.Triggers;

/// <summary>Compares a secret given by a caller with the configured one in constant time, whatever their lengths.</summary>
public static class SharedSecret
{
    public static bool Matches(string? given, string? expected)
    {
        if (string.IsNullOrEmpty(given) || string.IsNullOrEmpty(expected)) return false;
        // Hashing first gives both sides the same length, so the comparison time says nothing about the secret.
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }
}
