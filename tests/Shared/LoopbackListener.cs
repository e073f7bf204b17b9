using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Serverless.Tests.Shared;

/// <summary>
/// An HTTP site on a free loopback port that counts the TCP connections made to it: it stands in for a service
/// inside the host's network (or an attacker's server) that a test must prove was, or was not, reached.
/// Without routes of its own it answers 200 to every GET.
/// </summary>
internal sealed class LoopbackListener : IAsyncDisposable
{
    private readonly WebApplication _site;
    private int _connections;
    private int _requests;

    private LoopbackListener(Action<WebApplication>? map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => connection =>
        {
            Interlocked.Increment(ref _connections);
            return next(connection);
        })));
        _site = builder.Build();
        _site.Use(next => context =>
        {
            Interlocked.Increment(ref _requests);
            return next(context);
        });
        if (map is not null) map(_site);
        else _site.MapGet("/{**path}", () => Results.Text("reached"));
    }

    /// <summary>How many TCP connections were accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>How many HTTP requests were received so far (connections are kept alive and reused).</summary>
    public int Requests => Volatile.Read(ref _requests);

    public Uri BaseAddress { get; private set; } = null!;

    public int Port => BaseAddress.Port;

    /// <summary>The URL of <paramref name="path"/> on this listener.</summary>
    public Uri Url(string path = "/") => new(BaseAddress, path);

    public static async Task<LoopbackListener> StartAsync(Action<WebApplication>? map = null)
    {
        var listener = new LoopbackListener(map);
        await listener._site.StartAsync();
        var address = listener._site.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        listener.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return listener;
    }

    /// <summary>A loopback port that nothing listens on (it was free a moment ago).</summary>
    public static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync() => await _site.DisposeAsync();
}
