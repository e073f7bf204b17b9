using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using Serverless.Pipeline.Security;

namespace Serverless.Pipeline.Deploy;

/// <summary>
/// The outbound policy's settings (section <c>Outbound</c>): which internal addresses the online checks and health
/// probes may call after all. Each <see cref="Allow"/> entry is an address or CIDR range, optionally with a port:
/// <c>10.1.0.0/16</c>, <c>127.0.0.1:5080</c>, <c>[::1]:5080</c>, <c>[fd00::/8]:443</c>. Names are not accepted: the
/// policy decides on the address actually connected. Cloud metadata addresses stay refused whatever is allowed.
/// </summary>
public sealed class OutboundOptions
{
    public const string Section = "Outbound";

    public List<string> Allow { get; set; } = [];

    /// <summary>Every problem with these settings; empty when they are valid.</summary>
    public IReadOnlyList<string> Problems() =>
        Allow.Where(entry => !OutboundAllowance.TryParse(entry, out _))
            .Select(entry => $"Outbound:Allow entry '{entry}' is not an IP address or CIDR range (host bits zero), optionally with :port (IPv6 in brackets).")
            .ToList();
}

/// <summary>One entry of <see cref="OutboundOptions.Allow"/>: a range of addresses, on one port or on all.</summary>
public sealed record OutboundAllowance(IPNetwork Range, int? Port)
{
    public bool Allows(IPAddress address, int port) => Range.Holds(address) && (Port is null || Port == port);

    public static bool TryParse(string? text, [NotNullWhen(true)] out OutboundAllowance? allowance)
    {
        allowance = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text)) return false;
        string range = text;
        int? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) return false;
            range = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0 && (!rest.StartsWith(':') || !TryPort(rest[1..], out port))) return false;
        }
        else if (text.Count(c => c == ':') == 1)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            range = text[..colon];
            if (!TryPort(text[(colon + 1)..], out port)) return false;
        }
        if (!AddressRange.TryParse(range, out var network)) return false;
        allowance = new OutboundAllowance(network.Value, port);
        return true;
    }

    private static bool TryPort(string text, out int? port)
    {
        port = null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 65535) return false;
        port = value;
        return true;
    }
}
