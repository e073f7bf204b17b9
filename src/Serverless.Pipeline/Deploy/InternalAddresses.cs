using System.Net;
using System.Net.Sockets;
using Serverless.Pipeline.Security;

namespace Serverless.Pipeline.Deploy;

/// <summary>
/// Which addresses are internal to the host or its network, and so out of a stack author's reach: loopback,
/// link-local, private, unique-local, shared (CGNAT), unspecified, multicast, reserved, and the cloud metadata
/// endpoints. IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged by that IPv4 address.
/// </summary>
public static class InternalAddresses
{
    public const string Metadata = "cloud metadata address";
    public const string Loopback = "loopback address";
    public const string LinkLocal = "link-local address";
    public const string Private = "private address";
    public const string UniqueLocal = "unique-local address";
    public const string Shared = "shared (CGNAT) address";
    public const string Unspecified = "unspecified address";
    public const string Multicast = "multicast address";
    public const string Reserved = "reserved address";

    /// <summary>Azure and AWS instance metadata (IPv4 and IPv6, also GCP's and most clouds'), and Azure's wireserver, a public address.</summary>
    private static readonly IPAddress[] MetadataAddresses =
        [IPAddress.Parse("169.254.169.254"), IPAddress.Parse("fd00:ec2::254"), IPAddress.Parse("168.63.129.16")];

    private static readonly (IPNetwork Range, string Kind)[] V4 =
    [
        (IPNetwork.Parse("0.0.0.0/8"), Unspecified),
        (IPNetwork.Parse("127.0.0.0/8"), Loopback),
        (IPNetwork.Parse("169.254.0.0/16"), LinkLocal),
        (IPNetwork.Parse("10.0.0.0/8"), Private),
        (IPNetwork.Parse("172.16.0.0/12"), Private),
        (IPNetwork.Parse("192.168.0.0/16"), Private),
        (IPNetwork.Parse("100.64.0.0/10"), Shared),
        (IPNetwork.Parse("192.0.0.0/24"), Reserved),
        (IPNetwork.Parse("198.18.0.0/15"), Reserved),
        (IPNetwork.Parse("224.0.0.0/4"), Multicast),
        (IPNetwork.Parse("240.0.0.0/4"), Reserved),
    ];

    private static readonly (IPNetwork Range, string Kind)[] V6 =
    [
        (IPNetwork.Parse("::/128"), Unspecified),
        (IPNetwork.Parse("::1/128"), Loopback),
        (IPNetwork.Parse("fe80::/10"), LinkLocal),
        (IPNetwork.Parse("fec0::/10"), Private),
        (IPNetwork.Parse("fc00::/7"), UniqueLocal),
        (IPNetwork.Parse("ff00::/8"), Multicast),
        // The rest of ::/8 (IPv4-compatible, IPv4-translated) and the discard prefix.
        (IPNetwork.Parse("::/8"), Reserved),
        (IPNetwork.Parse("100::/64"), Reserved),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork Nat64Local = IPNetwork.Parse("64:ff9b:1::/48");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>What kind of internal address this is (one of the constants above), or null for a public address.</summary>
    public static string? KindOf(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        address = AddressRange.Normalize(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
            address = new IPAddress(address.GetAddressBytes());
        if (MetadataAddresses.Contains(address)) return Metadata;
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return V4.FirstOrDefault(r => r.Range.Contains(address)).Kind;
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return Reserved;
        if (EmbeddedIPv4(address) is { } embedded) return KindOf(embedded);
        if (Nat64Local.Contains(address)) return Private;
        return V6.FirstOrDefault(r => r.Range.Contains(address)).Kind;
    }

    /// <summary>The IPv4 address that a NAT64 or 6to4 address stands for.</summary>
    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address)) return new IPAddress(bytes.AsSpan(12, 4));
        if (SixToFour.Contains(address)) return new IPAddress(bytes.AsSpan(2, 4));
        return null;
    }
}
