using System.Net.Sockets;
using System.Text;
using Grpc.Net.Client;

namespace Serverless.LocalHost.Engine;

/// <summary>
/// The private endpoint of the engine's gRPC server: a Unix domain socket in a fresh folder that only this process's
/// user may enter (0700, the socket itself 0600). The server has no authentication of its own, so no TCP port is
/// opened for it: another local user cannot reach the socket, and every other LocalHost process has its own.
/// </summary>
public sealed class EngineSocket : IDisposable
{
    /// <summary>The longest socket path that fits everywhere: <c>sun_path</c> holds 108 bytes on Linux and Windows, 104 on macOS, with its terminating NUL.</summary>
    public const int MaxPathBytes = 103;

    private const string FileName = "engine.sock";
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlySocket = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private EngineSocket(string folder) => (Folder, Path) = (folder, System.IO.Path.Combine(folder, FileName));

    /// <summary>The folder that holds the socket; deleted with it.</summary>
    public string Folder { get; }

    public string Path { get; }

    /// <summary>
    /// Makes the folder under the temporary directory (mkdtemp: a random name, created 0700 on Unix; on Windows it
    /// inherits the ACL of the user's own %TEMP%). The temporary directory keeps the path short enough for a socket.
    /// </summary>
    public static EngineSocket Create()
    {
        var folder = Directory.CreateTempSubdirectory("pipeline-engine-").FullName;
        var socket = new EngineSocket(folder);
        try
        {
            if (Encoding.UTF8.GetByteCount(socket.Path) > MaxPathBytes)
                throw new InvalidOperationException(
                    $"The engine's socket path {socket.Path} is longer than a Unix domain socket allows ({MaxPathBytes} bytes): point TMPDIR at a shorter folder.");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, OwnerOnlyFolder);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Once the server listens: the socket file too is for this user alone (its folder already is).</summary>
    public void RestrictToOwner()
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path, OwnerOnlySocket);
    }

    /// <summary>A channel whose every connection goes to the socket; the address only names the HTTP/2 authority.</summary>
    public GrpcChannel OpenChannel() => GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            ConnectCallback = ConnectAsync,
            EnableMultipleHttp2Connections = true, // As Grpc.Net.Client's own handler: the worker's long streams must not starve the calls.
        },
    });

    /// <summary>Removes the socket and its folder; Kestrel has stopped listening by then.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellation)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path), cancellation);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
