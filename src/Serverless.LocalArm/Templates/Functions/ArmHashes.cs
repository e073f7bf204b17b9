using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Serverless.LocalArm.Templates.Functions;

/// <summary>
/// The hashes behind <c>uniqueString()</c> and <c>guid()</c>. ARM's documentation says only that
/// they are deterministic hashes of the arguments (13 and 36 characters); these are the algorithms
/// of ARM's own expression library, which the tests check against the values the Bicep CLI (which
/// ships that library) computes.
/// </summary>
internal static class ArmHashes
{
    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>The namespace of ARM's name-based GUIDs.</summary>
    private static readonly Guid GuidNamespace = new("11fb06fb-712d-4ddd-98c7-e71bbd588830");

    /// <summary>
    /// <c>uniqueString(a, b, ...)</c>: a 64-bit hash of the UTF-8 bytes of the arguments joined
    /// with '-', written most significant bits first as 13 base32 characters.
    /// </summary>
    public static string UniqueString(IEnumerable<string> values)
    {
        var hash = Hash64(Encoding.UTF8.GetBytes(string.Join('-', values)));
        var text = new char[13];
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = Base32[(int)(hash >> 59)];
            hash <<= 5;
        }
        return new string(text);
    }

    /// <summary>
    /// <c>guid(a, b, ...)</c>: the RFC 4122 name-based (version 5, SHA-1) UUID of the arguments
    /// joined with '-' (UTF-8) in ARM's namespace.
    /// </summary>
    public static Guid NameBasedGuid(IEnumerable<string> values)
    {
        var name = Encoding.UTF8.GetBytes(string.Join('-', values));
        var input = new byte[16 + name.Length];
        GuidNamespace.TryWriteBytes(input, bigEndian: true, out _);
        name.CopyTo(input, 16);
        var hash = SHA1.HashData(input);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>
    /// A 64-bit hash in the manner of MurmurHash3: two 32-bit lanes mixed over 8-byte blocks, the
    /// tail, the length, and the usual finalizer on each lane; the second lane is the high half.
    /// </summary>
    private static ulong Hash64(ReadOnlySpan<byte> data)
    {
        const uint c1 = 0x239B961B, c2 = 0xAB0E9789;
        uint h1 = 0, h2 = 0;
        var blocks = data.Length / 8;
        for (var i = 0; i < blocks; i++)
        {
            h1 ^= Scramble(BinaryPrimitives.ReadUInt32LittleEndian(data[(i * 8)..]), c1, 15, c2);
            h1 = (BitOperations.RotateLeft(h1, 19) + h2) * 5 + 0x561CCD1B;
            h2 ^= Scramble(BinaryPrimitives.ReadUInt32LittleEndian(data[(i * 8 + 4)..]), c2, 17, c1);
            h2 = (BitOperations.RotateLeft(h2, 13) + h1) * 5 + 0x0BCAA747;
        }
        var tail = data[(blocks * 8)..];
        if (tail.Length > 0)
            h1 ^= Scramble(LittleEndian(tail[..Math.Min(4, tail.Length)]), c1, 15, c2);
        if (tail.Length > 4)
            h2 ^= Scramble(LittleEndian(tail[4..]), c2, 17, c1);
        h1 ^= (uint)data.Length;
        h2 ^= (uint)data.Length;
        h1 += h2;
        h2 += h1;
        h1 = Finalize(h1);
        h2 = Finalize(h2);
        h1 += h2;
        h2 += h1;
        return ((ulong)h2 << 32) | h1;
    }

    private static uint Scramble(uint k, uint first, int rotation, uint second) => BitOperations.RotateLeft(k * first, rotation) * second;

    private static uint LittleEndian(ReadOnlySpan<byte> bytes)
    {
        uint value = 0;
        for (var i = bytes.Length - 1; i >= 0; i--)
            value = (value << 8) | bytes[i];
        return value;
    }

    private static uint Finalize(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6B;
        h ^= h >> 13;
        h *= 0xC2B2AE35;
        h ^= h >> 16;
        return h;
    }
}
