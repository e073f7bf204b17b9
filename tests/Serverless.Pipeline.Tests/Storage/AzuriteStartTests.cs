using System.Net;
using System.Net.Sockets;
using Serverless.LocalServices;

namespace Serverless.Pipeline.Tests.Storage;

/// <summary>
/// The test's Azurite answers on the ports it reports, and never a process that happened to take one of them: a port
/// something else holds is reported as taken, not mistaken for Azurite's.
/// </summary>
public sealed class AzuriteStartTests
{
    [Fact]
    public async Task A_table_port_another_process_holds_is_reported_as_taken_not_taken_for_azurites()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var held = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var data = Directory.CreateTempSubdirectory("azurite-").FullName;

        await Assert.ThrowsAsync<PortTakenException>(() => Azurite.StartAsync(0, 0, held, data));
    }

    [Fact]
    public async Task Azurite_on_free_ports_serves_blobs_queues_and_tables_on_the_ports_it_reports()
    {
        await using var azurite = await Azurite.StartOnFreePortsAsync();

        Assert.All(new[] { azurite.BlobPort, azurite.QueuePort, azurite.TablePort }, port => Assert.InRange(port, 1, 65535));
        var container = new Azure.Storage.Blobs.BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("probe");
        await container.CreateIfNotExistsAsync();
        using var http = new HttpClient();
        var queue = await http.GetAsync($"http://127.0.0.1:{azurite.QueuePort}/{Azurite.AccountName}?comp=list");
        Assert.Contains("Azurite-Queue", string.Join(" ", queue.Headers.Server.Select(s => s.ToString())));
        await new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString).GetTableClient("probe").CreateIfNotExistsAsync();
        Assert.True(await container.ExistsAsync());
    }
}
