using System.Diagnostics;
using System.Net.Http.Json;
using Serverless.LocalServices;

namespace Serverless.LoadDriver;

/// <summary>
/// One stack of the load, with its own repository and resource groups, and the commits to deliver in order: the
/// runs of one lane follow each other, as one team's changes do; lanes run at the same time, as teams do. (Runs of
/// one stack at the same time would queue for its environments' locks, which is what the product promises.)
/// </summary>
public sealed record Lane(string Stack, StackRepository Repository, ArmStackRepository.Layout Layout, IReadOnlyList<string> Commits);

/// <summary>
/// What a load needs and the driver starts itself: Azurite (blob, queue and table as three processes, on free
/// loopback ports, its data in a new temporary folder), git repositories of the load stacks with one commit per
/// run made up front, and LocalHost processes. Everything is stopped and deleted on dispose.
/// </summary>
public sealed class LoadRig : IAsyncDisposable
{
    private readonly List<LocalHostProcess> _hosts = [];

    private LoadRig(string root, Azurite azurite, IReadOnlyList<Lane> lanes) => (Root, Azurite, Lanes) = (root, azurite, lanes);

    public string Root { get; }
    public Azurite Azurite { get; }
    public IReadOnlyList<Lane> Lanes { get; }
    public IReadOnlyList<LocalHostProcess> Hosts => _hosts;

    /// <summary>Starts Azurite and makes <paramref name="lanes"/> stacks with <paramref name="runs"/> commits between them (the first lane gets <paramref name="extra"/> more).</summary>
    public static async Task<LoadRig> StartAsync(int runs, int lanes, int extra, TextWriter log)
    {
        var root = Directory.CreateTempSubdirectory("load-driver-").FullName;
        var clock = Stopwatch.StartNew();
        var azurite = await Azurite.StartOnFreePortsAsync(Path.Combine(root, "azurite"));
        log.WriteLine($"  Azurite: blob {azurite.BlobPort}, queue {azurite.QueuePort}, table {azurite.TablePort} (3 processes), started in {clock.Elapsed.TotalSeconds:0.0} s");

        clock.Restart();
        var made = new List<Lane>(lanes);
        for (var lane = 0; lane < lanes; lane++)
        {
            var stack = $"load-{lane + 1:D3}";
            var layout = ArmStackRepository.Layout.Default with { ResourceGroupPrefix = $"rg-{stack}" };
            var repository = ArmStackRepository.Create(Path.Combine(root, "stacks", stack), layout);
            var count = runs / lanes + (lane < runs % lanes ? 1 : 0) + (lane == 0 ? extra : 0);
            var commits = Enumerable.Range(1, count).Select(i => ArmStackRepository.CommitChange(repository, $"load change {i}")).ToList();
            made.Add(new Lane(stack, repository, layout, commits));
        }
        log.WriteLine($"  load stacks: {lanes} (load-001…), {made.Sum(l => l.Commits.Count)} commits in their repositories under {root}/stacks, made in {clock.Elapsed.TotalSeconds:0.0} s");
        return new LoadRig(root, azurite, made);
    }

    /// <summary>Starts a LocalHost process on the task hub, with a work directory of its own.</summary>
    public async Task<LocalHostProcess> StartHostAsync(string taskHub, int partitions, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var work = Path.Combine(Root, $"work-{_hosts.Count + 1}");
        var host = await LocalHostProcess.StartAsync(Azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Sources:WorkDirectory"] = work,
            ["Engine:TaskHub"] = taskHub,
            ["Engine:PartitionCount"] = partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Pipeline:RegisterSampleStack"] = "false",
        });
        _hosts.Add(host);
        log.WriteLine($"  LocalHost {_hosts.Count}: {host.BaseAddress} (pid {host.Process.Id}, task hub '{taskHub}'), started in {clock.Elapsed.TotalSeconds:0.0} s");
        return host;
    }

    /// <summary>Registers the load stacks through the API, each with the environments its delivery.yaml names.</summary>
    public async Task RegisterStacksAsync(LocalHostProcess host)
    {
        using var client = host.CreateClient();
        foreach (var lane in Lanes)
        {
            using var response = await client.PutAsJsonAsync($"/api/stacks/{lane.Stack}", lane.Layout.Registration(ArmStackRepository.FileUrl(lane.Repository)));
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"Registering {lane.Stack} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Stops a host gracefully (SIGTERM) before the rest of the rig.</summary>
    public async Task StopHostAsync(LocalHostProcess host)
    {
        if (_hosts.Remove(host)) await host.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
        await Azurite.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file still held open; the temporary folder is left behind.
        }
    }
}
