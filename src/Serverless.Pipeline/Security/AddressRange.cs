using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Serverless.Pipeline.Security;

/// <summary>
/// An IP address or a CIDR range written in a setting: <c>10.0.0.5</c>, <c>10.0.0.0/8</c>, <c>::1</c>, <c>fd00::/8</c>.
/// A single address is the range of just that address. IPv4-mapped IPv6 addresses are compared as IPv4.
/// </summary>
public static class AddressRange
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out IPNetwork? range)
    {
        range = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text)) return false;
        if (text.Contains('/'))
        {
            // A range written with host bits (10.0.0.1/8) is refused rather than silently widened.
            if (!IPNetwork.TryParse(text, out var network) || !IPAddress.TryParse(text[..text.IndexOf('/')], out var written)
                || !written.Equals(network.BaseAddress)) return false;
            range = network;
            return true;
        }
        if (!IPAddress.TryParse(text, out var address)) return false;
        address = Normalize(address);
        range = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }

    /// <summary>Whether <paramref name="range"/> holds <paramref name="address"/>, an IPv4-mapped address counting as its IPv4 form.</summary>
    public static bool Holds(this IPNetwork range, IPAddress address) => range.Contains(Normalize(address));

    /// <summary>The IPv4 form of an IPv4-mapped IPv6 address, without a scope id; any other address as it is.</summary>
    public static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
