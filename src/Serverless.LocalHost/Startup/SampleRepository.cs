using LibGit2Sharp;

namespace Serverless.LocalHost.Startup;

/// <summary>
/// The sample stack's git repository for the demo: made once from the sample files shipped with
/// LocalHost (samples/sample-network), so that runs build real commits of a real stack.
/// </summary>
public static class SampleRepository
{
    private static readonly DateTimeOffset InitialCommitTime = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Creates the repository unless it exists; returns its file URL.</summary>
    public static string Ensure(string sourceDirectory, string repositoryDirectory)
    {
        if (!Repository.IsValid(repositoryDirectory))
        {
            if (!Directory.Exists(sourceDirectory))
                throw new DirectoryNotFoundException($"The sample stack's files are missing: {sourceDirectory}.");
            Directory.CreateDirectory(repositoryDirectory);
            Repository.Init(repositoryDirectory, isBare: false);
            using var repository = new Repository(repositoryDirectory);
            repository.Refs.UpdateTarget("HEAD", "refs/heads/main"); // Before the first commit, so that it starts main.
            CopyTree(sourceDirectory, repositoryDirectory);
            Commands.Stage(repository, "*");
            var signature = new Signature("Platform Team", "platform@contoso.example", InitialCommitTime);
            repository.Commit("Sample network stack", signature, signature);
        }
        return new Uri(Path.GetFullPath(repositoryDirectory)).AbsoluteUri;
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)), overwrite: true);
    }
}
