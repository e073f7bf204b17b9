using System.Security.Cryptography;

namespace Serverless.Pipeline.Build;

/// <summary>
/// An artifact's version is the hash of its content: the same compiled files always give the same
/// version, and different files never share one.
/// </summary>
public static class ArtifactVersion
{
    private const int Length = 16;

    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The version of a set of files, independent of the order they are listed in.</summary>
    public static string Of(IEnumerable<(string Name, byte[] Content)> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, content) in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
            hash.AppendData([0]);
            hash.AppendData(SHA256.HashData(content));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..Length];
    }
}
