using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Serverless.Pipeline.Approvals;

namespace Serverless.LocalHost.Startup;

/// <summary>
/// The first loopback address Kestrel listens on, once it listens: approval links of a LocalHost started with
/// no <c>Approvals:PublicBaseUrl</c> point here, so that a click on this machine reaches it. A host listening
/// on other addresses only is reached through a name this process cannot know: it must set the setting.
/// </summary>
public sealed class LoopbackAddress(IServer server) : IHostOwnAddress
{
    public string? Current =>
        server.Features.Get<IServerAddressesFeature>()?.Addresses
            .Select(a => Uri.TryCreate(a, UriKind.Absolute, out var uri) ? uri : null)
            .FirstOrDefault(uri => uri is not null && uri.Port > 0 && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip))))
            ?.GetLeftPart(UriPartial.Authority);
}
