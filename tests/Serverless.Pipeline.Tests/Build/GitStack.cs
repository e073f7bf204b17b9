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

    /// <summary>
    /// The sample stack's delivery.yaml (its environments, lint rules and change types) with the template, modules and
    /// parameters files of the test stack <c>Build/Stacks/{name}</c> in place of the sample's.
    /// </summary>
    public static GitStack WithTestStack(string name)
    {
        var stack = WithSample();
        var directory = Path.Combine(AppContext.BaseDirectory, "Build", "Stacks", name);
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            stack.Write(Path.GetRelativePath(directory, file), File.ReadAllText(file));
        stack.Commit($"The {name} stack");
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

    /// <summary>A symbolic link in the working tree; git records it as a link, not as the file it points to.</summary>
    public GitStack Symlink(string path, string target)
    {
        File.CreateSymbolicLink(Path.Combine(Directory, path), target);
        return this;
    }

    /// <summary>Commits a submodule at <paramref name="path"/>: a gitlink to a commit of another repository, and its .gitmodules entry.</summary>
    public string CommitSubmodule(string path, string url, string commit)
    {
        Write(".gitmodules", $"[submodule \"{path}\"]\n\tpath = {path}\n\turl = {url}\n");
        using var repository = new Repository(Directory);
        Commands.Stage(repository, ".gitmodules");
        var tree = TreeDefinition.From(repository.ObjectDatabase.CreateTree(repository.Index));
        tree.AddGitLink(path, new ObjectId(commit));
        return CommitTree(repository, repository.ObjectDatabase.CreateTree(tree), "Add a submodule");
    }

    /// <summary>
    /// Commits a tree no git client writes: the head's entries plus a folder named <c>..</c> holding one file, as a
    /// hostile repository can hold (git objects are only bytes).
    /// </summary>
    public string CommitDotDotFolder(string fileName, string content)
    {
        using var repository = new Repository(Directory);
        var blob = repository.ObjectDatabase.CreateBlob(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)));
        var inner = repository.ObjectDatabase.CreateTree(new TreeDefinition().Add(fileName, blob, Mode.NonExecutableFile));
        var entries = new[] { ("40000", "..", inner.Id) }
            .Concat(repository.Head.Tip.Tree.Select(e => (Convert.ToString((int)e.Mode, 8), e.Name, e.Target.Id)));
        var raw = new MemoryStream();
        foreach (var (mode, name, id) in entries)
        {
            raw.Write(System.Text.Encoding.UTF8.GetBytes($"{mode} {name}\0"));
            raw.Write(id.RawId);
        }
        var root = repository.ObjectDatabase.Write<Tree>(raw.ToArray());
        return CommitTree(repository, repository.Lookup<Tree>(root), "A folder named ..");
    }

    private string CommitTree(Repository repository, Tree tree, string message)
    {
        var when = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero).AddMinutes(++_clock);
        var signature = new Signature("Ann Example", "ann@contoso.example", when);
        var commit = repository.ObjectDatabase.CreateCommit(signature, signature, message, tree, [repository.Head.Tip], prettifyMessage: true);
        repository.Refs.UpdateTarget(repository.Refs.Head.ResolveToDirectReference(), commit.Id);
        return commit.Sha;
    }

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
