using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.Extensions.Logging.Abstractions;

namespace Serverless.EndToEnd.Tests;

/// <summary>
/// The engine's gRPC server authenticates nobody: whoever reaches it can list every run and raise approval events.
/// So LocalHost must offer it on no TCP port, only on a Unix socket that no other user can reach.
/// </summary>
[Collection(LocalHostCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // It reads /proc, as a local attacker would.
public sealed class EnginePortTests(LocalHostFixture app)
{
    private const string Python = "/usr/bin/python3";
    private const string SetPriv = "/usr/bin/setpriv";
    private const string Nobody = "65534";

    [Fact]
    public async Task LocalHost_listens_on_no_TCP_port_besides_its_HTTP_port_so_no_local_process_can_reach_the_engine()
    {
        var http = app.Host.BaseAddress.Port;
        var others = ProcessSockets.ListeningTcpPorts(app.Host.Process.Id).Where(port => port != http).ToList();

        var reached = new List<string>();
        foreach (var port in others) reached.Add(await ListRunsAsAttackerAsync(port));
        Assert.True(others.Count == 0,
            $"LocalHost listens on TCP ports besides its HTTP port {http}, open to every local process: {string.Join("; ", reached)}");
    }

    [Fact]
    public async Task The_engine_listens_on_a_Unix_socket_in_a_folder_only_the_hosts_user_can_enter()
    {
        var pid = app.Host.Process.Id;
        var socket = Assert.Single(ProcessSockets.ListeningUnixSocketPaths(pid), path => !IsRuntimeDiagnostics(path));
        var folder = Path.GetDirectoryName(socket)!;

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));
        Assert.Equal(ProcessUid(pid), await RunAsync("stat", ["-c", "%u", folder]) is (0, var uid) ? uid.Trim() : null);

        // As root, show it from the other side: the host's user reaches the socket, another user is refused.
        if (ProcessUid(Environment.ProcessId) != "0" || !File.Exists(SetPriv) || !File.Exists(Python)) return;
        string[] probe = [Python, "-c", "import socket, sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])", socket];
        var same = await RunAsync(probe[0], probe[1..]);
        Assert.True(same.ExitCode == 0, $"The host's user could not reach the engine's socket: {same.Output}");
        var stranger = await RunAsync(SetPriv, [$"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", .. probe]);
        Assert.True(stranger.ExitCode != 0 && stranger.Output.Contains("Permission denied", StringComparison.Ordinal),
            $"Another user reached the engine's socket: exit {stranger.ExitCode}, {stranger.Output}");
    }

    /// <summary>The attack: a Durable Task client of one's own on the port, listing every run of the task hub.</summary>
    private static async Task<string> ListRunsAsAttackerAsync(int port)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var attacker = new GrpcDurableTaskClient("attacker", new GrpcDurableTaskClientOptions { Channel = channel }, NullLogger.Instance);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var runs = 0;
            await foreach (var run in attacker.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 100 }).WithCancellation(timeout.Token))
                runs++;
            return $"port {port}: the engine answered an unauthenticated client and listed {runs} runs";
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException or HttpRequestException)
        {
            return $"port {port}: no engine answered ({e.GetType().Name})";
        }
        finally
        {
            await attacker.DisposeAsync();
        }
    }

    /// <summary>The .NET runtime's own diagnostics socket (dotnet-diagnostic-{pid}-…-socket, 0600 in the temporary folder).</summary>
    private static bool IsRuntimeDiagnostics(string path) => Path.GetFileName(path).StartsWith("dotnet-diagnostic-", StringComparison.Ordinal);

    private static string? ProcessUid(int pid) =>
        File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?
            .Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[1];

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
