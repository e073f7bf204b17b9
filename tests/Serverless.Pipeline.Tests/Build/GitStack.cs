using LibGit2Sharp;

namespace Serverless.Pipeline.Tests.Build;

/// <summary>A real git repository made by a test: files are written and committed as a developer would.</summary>
public sealed class GitStack : IDisposable
{
    private static readonly string SampleDirectory = Path.Combine(Serverless.LocalServices.RepositoryRoot.Path, "samples", "sample-network");
    private int _clock;

    public GitStack()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("stack-repo-").FullName;
        Repository.Init(Directory);
        using var repository = new Repository(Directory);
        repository.Refs.UpdateTarget("HEAD", "refs/heads/main");
    }

    public string Directory { get; }
    public string Url => new Uri(Directory).AbsoluteUri;

    /// <summary>The commit the checked-out branch is at.</summary>
    public string Head
    {
        get
        {
            using var repository = new Repository(Directory);
            return repository.Head.Tip.Sha;
        }
    }

    /// <summary>A repository holding the sample network stack, at <paramref name="prefix"/> (for mono-repos).</summary>
    public static GitStack WithSample(string prefix = "")
    {
        var stack = new GitStack();
        foreach (var file in System.IO.Directory.EnumerateFiles(SampleDirectory, "*", SearchOption.AllDirectories))
            stack.Write(Path.Combine(prefix, Path.GetRelativePath(SampleDirectory, file)), File.ReadAllText(file));
        stack.Commit("Sample network stack");
        return stack;
    }

    public GitStack Write(string path, string content)
    {
        var file = Path.Combine(Directory, path);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return this;
    }

    public GitStack Edit(string path, Func<string, string> change) => Write(path, change(File.ReadAllText(Path.Combine(Directory, path))));

    public string Commit(string message, string author = "Ann Example", string? committer = null)
    {
        using var repository = new Repository(Directory);
        Commands.Stage(repository, "*");
        var when = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero).AddMinutes(++_clock);
        return repository.Commit(message, Signature(author, when), Signature(committer ?? author, when)).Sha;
    }

    /// <summary>Makes <paramref name="branch"/> at the current commit and checks it out, so that later commits go there.</summary>
    public GitStack Branch(string branch)
    {
        using var repository = new Repository(Directory);
        Commands.Checkout(repository, repository.CreateBranch(branch));
        return this;
    }

    private static Signature Signature(string name, DateTimeOffset when) =>
        new(name, $"{name.Split(' ')[0].ToLowerInvariant()}@contoso.example", when);

    public void Dispose()
    {
        try
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories))
                File.SetAttributes(file, FileAttributes.Normal);
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
