using LibGit2Sharp;

namespace Serverless.LocalServices;

/// <summary>Makes commits in a local stack repository, as a developer pushing a change would.</summary>
public sealed class StackRepository(string directory)
{
    /// <summary>The repository behind a file URL, as the stacks API reports it.</summary>
    public static StackRepository FromUrl(string fileUrl) => new(new Uri(fileUrl).LocalPath);

    public string Directory { get; } = directory;

    public string Head
    {
        get
        {
            using var repository = new Repository(Directory);
            return repository.Head.Tip.Sha;
        }
    }

    /// <summary>Changes one file (relative to the repository root) and commits it; returns the commit id.</summary>
    public string Commit(string path, Func<string, string> change, string message, string author = "Ann Example")
    {
        lock (typeof(StackRepository))
        {
            using var repository = new Repository(Directory);
            var file = Path.Combine(Directory, path);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, change(File.Exists(file) ? File.ReadAllText(file) : ""));
            Commands.Stage(repository, path);
            var signature = new Signature(author, $"{author.Replace(' ', '.').ToLowerInvariant()}@contoso.example", DateTimeOffset.UtcNow);
            return repository.Commit(message, signature, signature, new CommitOptions { AllowEmptyCommit = true }).Sha;
        }
    }

    /// <summary>
    /// A real change to the sample stack's template (a new value of its <c>change</c> tag), so that the
    /// commit compiles to a new template and so a new artifact version.
    /// </summary>
    public string CommitTemplateChange(string message, string author = "Ann Example")
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        return Commit("main.bicep", text =>
        {
            var untagged = System.Text.RegularExpressions.Regex.Replace(text, @"\n  change: '[^']*'", "");
            return untagged.Replace("  stack: 'sample-network'\n", $"  stack: 'sample-network'\n  change: '{marker}'\n", StringComparison.Ordinal);
        }, message, author);
    }
}
