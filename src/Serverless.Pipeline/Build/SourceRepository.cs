using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Build;

/// <summary>
/// Reads a stack's source at exactly one commit with LibGit2Sharp. Each repository is cloned once
/// (bare) into the work directory and fetched when a commit is not there yet; a file lock keeps
/// processes that share the work directory from fetching into the same clone at once.
/// </summary>
public sealed class SourceRepository(IOptions<SourceOptions> options)
{
    private static readonly string[] RefSpecs = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"];

    public async Task<SourceSnapshot> CheckoutAsync(string repositoryUrl, string commitId, string stackPath, string workspace, CancellationToken cancellation = default)
    {
        var cacheDirectory = Path.Combine(options.Value.WorkDirectory, "repos", CacheName(repositoryUrl));
        Directory.CreateDirectory(Path.GetDirectoryName(cacheDirectory)!);
        await using var gate = await AcquireAsync(cacheDirectory + ".lock", cancellation);

        if (!Repository.IsValid(cacheDirectory))
        {
            if (Directory.Exists(cacheDirectory)) Directory.Delete(cacheDirectory, recursive: true);
            Repository.Clone(repositoryUrl, cacheDirectory, new CloneOptions(FetchOptions(repositoryUrl)) { IsBare = true });
        }

        using var repository = new Repository(cacheDirectory);
        var commit = repository.Lookup<Commit>(commitId);
        if (commit is null)
        {
            Commands.Fetch(repository, "origin", RefSpecs, FetchOptions(repositoryUrl), "pipeline build");
            commit = repository.Lookup<Commit>(commitId)
                     ?? throw new PermanentStageFailure($"Commit {commitId} does not exist in {Redact(repositoryUrl)}.");
        }

        var prefix = NormalizePrefix(stackPath);
        var tree = prefix.Length == 0
            ? commit.Tree
            : commit.Tree[prefix]?.Target as Tree
              ?? throw new PermanentStageFailure($"The folder '{prefix}' does not exist at commit {commit.Sha[..12]}.");

        Directory.CreateDirectory(workspace);
        var refusals = new List<BuildProblem>();
        var files = StackFiles(repository, tree, refusals);
        refusals.AddRange(CheckoutLimits.Check(files.Select(f => (f.Path, f.Size)), options.Value));
        if (refusals.Count == 0) Materialize(files, workspace);
        return new SourceSnapshot(workspace, commit.Sha, tree.Sha, commit.Committer.When, commit.Author.Name,
            commit.MessageShort, ChangedPaths(repository, commit, prefix)) { Problems = refusals };
    }

    private static IReadOnlyList<string> ChangedPaths(Repository repository, Commit commit, string prefix)
    {
        var parent = commit.Parents.FirstOrDefault();
        var changes = repository.Diff.Compare<TreeChanges>(parent?.Tree, commit.Tree);
        var folder = prefix.Length == 0 ? "" : prefix + "/";
        return [.. changes
            .SelectMany(change => new[] { change.Path, change.OldPath })
            .Where(path => path is not null && path.StartsWith(folder, StringComparison.Ordinal))
            .Select(path => path[folder.Length..])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The files of the stack's folder with their sizes, read from git's object headers so that nothing is inflated or
    /// written before the limits are checked. Symbolic links and submodules (gitlinks) are never checked out: a build
    /// sees only the stack's own files. A tree entry whose name could leave the folder (<c>..</c>, a slash) is refused.
    /// </summary>
    private static List<(string Path, Blob Blob, long Size)> StackFiles(Repository repository, Tree tree, List<BuildProblem> refusals)
    {
        var files = new List<(string Path, Blob Blob, long Size)>();
        // A queue, not recursion: a hostile repository may nest folders deeper than the host's stack.
        var folders = new Queue<(Tree Tree, string Path)>([(tree, "")]);
        while (folders.TryDequeue(out var folder))
        {
            foreach (var entry in folder.Tree)
            {
                var path = folder.Path + entry.Name;
                if (entry.Name is "" or "." or ".." || entry.Name.Contains('/') || entry.Name.Contains('\0'))
                {
                    refusals.Add(new BuildProblem("source", path, 0, 0, null, "git holds an entry with this name, which could leave the stack's folder; nothing was written."));
                    continue;
                }
                switch (entry.Target)
                {
                    case Tree subtree:
                        folders.Enqueue((subtree, path + "/"));
                        break;
                    case Blob blob when entry.Mode != Mode.SymbolicLink:
                        files.Add((path, blob, repository.ObjectDatabase.RetrieveObjectMetadata(blob.Id).Size));
                        break;
                }
            }
        }
        return files;
    }

    private static void Materialize(List<(string Path, Blob Blob, long Size)> files, string workspace)
    {
        foreach (var (path, blob, _) in files)
        {
            var target = Path.Combine(workspace, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var content = blob.GetContentStream();
            using var file = File.Create(target);
            content.CopyTo(file);
        }
    }

    private FetchOptions FetchOptions(string repositoryUrl)
    {
        var fetch = new FetchOptions();
        if (Uri.TryCreate(repositoryUrl, UriKind.Absolute, out var uri) && options.Value.Tokens.TryGetValue(uri.Host, out var token))
            fetch.CredentialsProvider = (_, _, _) => new UsernamePasswordCredentials { Username = "x-access-token", Password = token };
        return fetch;
    }

    private static string NormalizePrefix(string path) => path.Replace('\\', '/').Trim('/');

    private static string CacheName(string repositoryUrl) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(repositoryUrl.Trim().ToLowerInvariant())))[..20] + ".git";

    private static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.UserInfo) ? url.Replace(uri.UserInfo + "@", "***@", StringComparison.Ordinal) : url;

    private static async Task<FileStream> AcquireAsync(string lockFile, CancellationToken cancellation)
    {
        while (true)
        {
            try
            {
                return new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(50, cancellation);
            }
        }
    }
}
