using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Pipeline.Build;
using Serverless.Pipeline.Definition;
using Serverless.Pipeline.Hosting;
using Serverless.Pipeline.Tests.Stacks;

namespace Serverless.Pipeline.Tests.Build;

/// <summary>
/// The build's inspection (what both the build and validation run) as the hosts wire it, settings by configuration,
/// over real git repositories and the real Bicep CLI; it checks that no build workspace is left on disk.
/// </summary>
public sealed class StackInspections : IDisposable
{
    private readonly List<GitStack> _repositories = [];

    public StackInspections(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Sources:WorkDirectory"] = WorkDirectory })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        Services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddPipeline(configuration).BuildServiceProvider();
    }

    public ServiceProvider Services { get; }

    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("inspect-work-").FullName;

    private string Builds => Path.Combine(WorkDirectory, "builds");

    public GitStack Track(GitStack repo)
    {
        _repositories.Add(repo);
        return repo;
    }

    /// <summary>Inspects the commit as a stack whose registration agrees with the repository's delivery.yaml.</summary>
    public async Task<StackInspection> InspectAsync(GitStack repo, string commit)
    {
        var inspection = await Services.GetRequiredService<StackInspector>().InspectAsync(new SourceRequest(repo.Url, commit),
            TestStacks.AgreeingWith(Path.Combine(repo.Directory, DeliveryYaml.FileName)));
        Assert.False(Directory.Exists(Builds) && Directory.EnumerateFileSystemEntries(Builds).Any(), "A build workspace was left on disk.");
        return inspection;
    }

    public void Dispose()
    {
        Services.Dispose();
        foreach (var repo in _repositories) repo.Dispose();
        try { Directory.Delete(WorkDirectory, recursive: true); } catch (IOException) { }
    }
}
