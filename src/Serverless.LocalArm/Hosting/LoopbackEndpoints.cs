using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using System.Security.Cryptography.X509Certificates;

namespace Serverless.LocalArm.Hosting;

/// <summary>Binds Kestrel to the HTTPS loopback addresses given in <c>--urls</c>, and nothing else.</summary>
internal static class LoopbackEndpoints
{
    public static void Listen(KestrelServerOptions kestrel, string urls, X509Certificate2 certificate)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
                throw new ArgumentException($"LocalArm serves HTTPS only (the Azure SDK refuses bearer tokens over HTTP); got '{url}'.");
            var address = uri.Host is "localhost" ? IPAddress.Loopback : IPAddress.Parse(uri.Host.Trim('[', ']'));
            if (!IPAddress.IsLoopback(address))
                throw new ArgumentException($"LocalArm listens on loopback addresses only; got '{url}'.");
            kestrel.Listen(address, uri.Port, listen => listen.UseHttps(certificate));
        }
    }
}
