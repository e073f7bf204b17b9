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

    /// <summary>
    /// Writes the stack's folder at exactly <see cref="SourceRequest.Commit"/> (a full id) into <paramref name="workspace"/> and
    /// reads what git says about the change: its author and committer, the commits it delivers and their authors, the
    /// files they touched, and whether the commit is on the branch production takes commits from.
    /// </summary>
    public async Task<SourceSnapshot> CheckoutAsync(SourceRequest source, string workspace, CancellationToken cancellation = default)
    {
        await using var cache = await OpenAsync(source.Repository, cancellation);
        using var repository = new Repository(cache.Directory);
        var commit = repository.Lookup<Commit>(source.Commit);
        var fetched = false;
        if (commit is null)
        {
            Fetch(repository, source.Repository);
            fetched = true;
            commit = repository.Lookup<Commit>(source.Commit)
                     ?? throw new PermanentStageFailure($"Commit {source.Commit} does not exist in {Redact(source.Repository)}.");
        }

        var prefix = NormalizePrefix(source.StackPath);
        var tree = prefix.Length == 0
            ? commit.Tree
            : commit.Tree[prefix]?.Target as Tree
              ?? throw new PermanentStageFailure($"The folder '{prefix}' does not exist at commit {commit.Sha[..12]}.");

        bool? onBranch = null;
        if (source.ProductionBranch is { } branch)
        {
            onBranch = CommitHistory.IsOnBranch(repository, commit, branch);
            // Branches seen at an earlier fetch may have moved since (a merge); look again before saying no.
            if (onBranch == false && !fetched)
            {
                Fetch(repository, source.Repository);
                onBranch = CommitHistory.IsOnBranch(repository, commit, branch);
            }
        }

        var bases = CommitHistory.Known(repository, source.DeliveredSince ?? []);
        var delivered = CommitHistory.Delivered(repository, commit, bases, out _);
        Directory.CreateDirectory(workspace);
        var refusals = new List<BuildProblem>();
        var files = StackFiles(repository, tree, refusals);
        refusals.AddRange(CheckoutLimits.Check(files.Select(f => (f.Path, f.Size)), options.Value));
        if (refusals.Count == 0) Materialize(files, workspace);
        return new SourceSnapshot(workspace, commit.Sha, tree.Sha, commit.Committer.When, CommitHistory.Person(commit.Author), CommitHistory.Person(commit.Committer),
            commit.MessageShort, CommitHistory.ChangedPaths(repository, bases.FirstOrDefault(), commit, prefix), CommitHistory.People(delivered),
            bases.FirstOrDefault()?.Sha, onBranch) { Problems = refusals };
    }

    /// <summary>
    /// The full id of the commit that a shortened id (7 to 39 hexadecimal characters) names in the repository, fetching
    /// first when it is not known yet; or why there is none.
    /// </summary>
    public async Task<CommitResolution> ResolveAsync(string repositoryUrl, string commitId, CancellationToken cancellation = default)
    {
        await using var cache = await OpenAsync(repositoryUrl, cancellation);
        using var repository = new Repository(cache.Directory);
        var found = Find(repository, commitId);
        if (found.Commit is null && found.Problem is null)
        {
            Fetch(repository, repositoryUrl);
            found = Find(repository, commitId);
        }
        return found;
    }

    private static CommitResolution Find(Repository repository, string commitId)
    {
        try
        {
            return repository.Lookup<Commit>(commitId) is { } commit ? new CommitResolution(commit.Sha, null) : new CommitResolution(null, null);
        }
        catch (AmbiguousSpecificationException)
        {
            return new CommitResolution(null, $"'{commitId}' names more than one commit of the repository; give more of its characters.");
        }
    }

    /// <summary>The repository's cache clone, made on first use, held under a file lock while the caller reads it.</summary>
    private async Task<CacheLease> OpenAsync(string repositoryUrl, CancellationToken cancellation)
    {
        var cacheDirectory = Path.Combine(options.Value.WorkDirectory, "repos", CacheName(repositoryUrl));
        Directory.CreateDirectory(Path.GetDirectoryName(cacheDirectory)!);
        var lockFile = await AcquireAsync(cacheDirectory + ".lock", cancellation);
        try
        {
            if (!Repository.IsValid(cacheDirectory))
            {
                if (Directory.Exists(cacheDirectory)) Directory.Delete(cacheDirectory, recursive: true);
                Repository.Clone(repositoryUrl, cacheDirectory, new CloneOptions(FetchOptions(repositoryUrl)) { IsBare = true });
            }
        }
        catch
        {
            await lockFile.DisposeAsync();
            throw;
        }
        return new CacheLease(cacheDirectory, lockFile);
    }

    private void Fetch(Repository repository, string repositoryUrl) =>
        Commands.Fetch(repository, "origin", RefSpecs, FetchOptions(repositoryUrl), "pipeline build");

    private sealed class CacheLease(string directory, FileStream lockFile) : IAsyncDisposable
    {
        public string Directory { get; } = directory;

        public ValueTask DisposeAsync() => lockFile.DisposeAsync();
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
