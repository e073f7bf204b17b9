using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing;

namespace Serverless.Pipeline.Tests.Workflow;

/// <summary>
/// Starts the in-memory test engine on a loopback port that is free. Left to itself, the test host picks a random
/// port between 30000 and 40000 without looking, which collides with the ephemeral ports the other test assemblies
/// use at the same time; so this asks the system for a free port and tries again if another process took it first.
/// </summary>
public static class InMemoryEngine
{
    public static async Task<DurableTaskTestHost> StartAsync(Action<DurableTaskRegistry> tasks)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DurableTaskTestHost.StartAsync(tasks, new DurableTaskTestHostOptions { Port = FreePort() });
            }
            catch (IOException e) when (e.InnerException is AddressInUseException && attempt < 5)
            {
                // Another process bound the port between our probe and the host's bind: take another.
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
