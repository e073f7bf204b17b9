using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Serverless.Pipeline.Deploy;

/// <summary>
/// Where the online checks and health probes may connect: anywhere but an internal address (<see cref="InternalAddresses"/>),
/// unless <see cref="OutboundOptions.Allow"/> names it; cloud metadata addresses never. The decision is made after
/// name resolution, on every address the name resolves to, and the connection goes only to an address that was
/// checked (<see cref="CreateHandler"/>), so a name that resolves to a public address once and an internal one the
/// next time (DNS rebinding) gains nothing. The handler follows no redirects: a 3xx answer is just a status.
/// </summary>
public sealed class OutboundPolicy
{
    private readonly IReadOnlyList<OutboundAllowance> _allowed;

    public OutboundPolicy(IOptions<OutboundOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowed = options.Value.Allow
            .Select(entry => OutboundAllowance.TryParse(entry, out var allowance)
                ? allowance
                : throw new InvalidOperationException(string.Join(" ", options.Value.Problems())))
            .ToList();
    }

    /// <summary>Why connecting to <paramref name="address"/> on <paramref name="port"/> is refused, or null when it is allowed.</summary>
    public string? Refusal(IPAddress address, int port)
    {
        var kind = InternalAddresses.KindOf(address);
        if (kind is null) return null;
        if (kind != InternalAddresses.Metadata && _allowed.Any(a => a.Allows(address, port))) return null;
        return $"{kind} refused by the outbound policy";
    }

    /// <summary>
    /// Why calling <paramref name="url"/> is refused, or null when every address its host resolves to is allowed.
    /// A host that does not resolve is not refused here: the request then fails on its own, without a connection.
    /// </summary>
    public async Task<string?> RefusalAsync(Uri url, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(url.IdnHost, cancellation);
        }
        catch (SocketException)
        {
            return null;
        }
        return FirstRefusal(addresses, url.Port);
    }

    /// <summary>The HTTP handler of the probe client: connects only where this policy allows, follows no redirects, uses no proxy.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        // A proxy would be the address connected, and the target would go unchecked.
        UseProxy = false,
        UseCookies = false,
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellation)
    {
        var (host, port) = (context.DnsEndPoint.Host, context.DnsEndPoint.Port);
        var addresses = await ResolveAsync(host, cancellation);
        if (FirstRefusal(addresses, port) is { } refusal) throw new OutboundRefusedException(refusal);
        SocketException? failure = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                failure = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw failure ?? new SocketException((int)SocketError.HostNotFound);
    }

    private string? FirstRefusal(IEnumerable<IPAddress> addresses, int port) =>
        addresses.Select(address => Refusal(address, port)).FirstOrDefault(refusal => refusal is not null);

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellation)
    {
        var name = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(name, out var literal)) return [literal];
        var addresses = await Dns.GetHostAddressesAsync(name, cancellation);
        return addresses.Length > 0 ? addresses : throw new SocketException((int)SocketError.HostNotFound);
    }
}

/// <summary>A connection the outbound policy refused; no connection was made.</summary>
public sealed class OutboundRefusedException(string message) : Exception(message);
