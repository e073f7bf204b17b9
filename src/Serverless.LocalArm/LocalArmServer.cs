using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Serverless.LocalArm.Faults;
using Serverless.LocalArm.Hosting;
using Serverless.LocalArm.Http;
using Serverless.LocalArm.State;

namespace Serverless.LocalArm;

/// <summary>
/// A TEST DOUBLE of Azure Resource Manager, for the demo and the tests only; never part of a
/// production configuration. It serves, over HTTPS on loopback with a self-signed certificate
/// made at start:
/// <list type="bullet">
/// <item>resource groups: <c>PUT/GET/HEAD/DELETE /subscriptions/{sub}/resourcegroups/{rg}</c>;</item>
/// <item>deployments at resource-group scope: <c>PUT/GET .../providers/Microsoft.Resources/deployments/{name}</c>
/// (201 + <c>Azure-AsyncOperation</c>), <c>.../operationStatuses/{id}</c>, <c>.../operations</c>; nested
/// deployments (Bicep's modules) are evaluated in their own scope and deploy their resources to the group;</item>
/// <item>what-if: <c>POST .../deployments/{name}/whatIf</c> (202 + <c>Location</c>);</item>
/// <item>control: <c>/_localarm/faults</c>, <c>/_localarm/stats</c>, <c>/_localarm/requests</c>, <c>/_localarm/.../resources</c>.</item>
/// </list>
/// Any <c>Authorization: Bearer</c> token is accepted; none gives 401. State is in memory.
/// Start it in-process with <see cref="StartAsync"/>, or as a process with
/// <c>--urls https://127.0.0.1:PORT --CertificateFile=path</c>.
/// </summary>
public sealed class LocalArmServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string? certificateFile;

    private LocalArmServer(WebApplication app, Uri baseUri, X509Certificate2 certificate, FaultSwitches faults, ArmState state, RequestJournal requests, string? certificateFile)
    {
        this.app = app;
        this.certificateFile = certificateFile;
        BaseUri = baseUri;
        Certificate = certificate;
        Faults = faults;
        State = state;
        Requests = requests;
    }

    /// <summary>The ARM endpoint, e.g. <c>https://127.0.0.1:54321/</c>; use it as <c>ArmEnvironment.Endpoint</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>The self-signed certificate the server presents; trust exactly this one.</summary>
    public X509Certificate2 Certificate { get; }

    public FaultSwitches Faults { get; }

    public ArmState State { get; }

    public RequestJournal Requests { get; }

    public static async Task<LocalArmServer> StartAsync(LocalArmOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalArmOptions();
        var certificate = SelfSignedCertificate.Create();
        var faults = new FaultSwitches();
        var state = new ArmState(options.Time);
        var requests = new RequestJournal();
        var app = LocalArmApp.Build(options, certificate, faults, state, requests);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseUri = new Uri(address.TrimEnd('/') + "/");
        if (options.CertificateFile is { } file)
            SelfSignedCertificate.WriteFile(certificate, baseUri, file);
        return new LocalArmServer(app, baseUri, certificate, faults, state, requests, options.CertificateFile);
    }

    public LocalArmStats Stats() => State.Stats();

    /// <summary>An HTTP handler that trusts this server's certificate and no other.</summary>
    public SocketsHttpHandler CreateTrustingHandler() => SelfSignedCertificate.CreateTrustingHandler(Certificate);

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        if (certificateFile is not null)
            File.Delete(certificateFile);
        Certificate.Dispose();
    }
}
