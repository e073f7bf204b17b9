using System.Globalization;

namespace Serverless.EndToEnd.Tests;

/// <summary>
/// The sockets a process listens on, read from Linux's /proc as any local user could: the socket inodes among the
/// process's open files (/proc/{pid}/fd), matched with the listening sockets of its network namespace (/proc/{pid}/net).
/// </summary>
public static class ProcessSockets
{
    private const string TcpListen = "0A";
    private const int UnixAcceptConnections = 0x10000; // __SO_ACCEPTCON: the socket listens.

    /// <summary>The TCP ports (IPv4 and IPv6) the process listens on.</summary>
    public static IReadOnlySet<int> ListeningTcpPorts(int pid)
    {
        var owned = SocketInodes(pid);
        var ports = new SortedSet<int>();
        foreach (var table in new[] { "tcp", "tcp6" })
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/net/{table}").Skip(1))
            {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || fields[3] != TcpListen || !owned.Contains(fields[9])) continue;
                ports.Add(int.Parse(fields[1][(fields[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }
        return ports;
    }

    /// <summary>The paths of the Unix domain sockets the process listens on (abstract and unnamed ones left out).</summary>
    public static IReadOnlyList<string> ListeningUnixSocketPaths(int pid)
    {
        var owned = SocketInodes(pid);
        var paths = new List<string>();
        foreach (var line in File.ReadLines($"/proc/{pid}/net/unix").Skip(1))
        {
            // Num RefCount Protocol Flags Type St Inode Path
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 8 || !owned.Contains(fields[6]) || !fields[7].StartsWith('/')) continue;
            if ((int.Parse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture) & UnixAcceptConnections) == 0) continue;
            paths.Add(fields[7]);
        }
        return paths;
    }

    private static HashSet<string> SocketInodes(int pid)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue; // Closed while we looked.
            }
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)) inodes.Add(target[8..^1]);
        }
        return inodes;
    }
}
