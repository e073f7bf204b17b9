using System.Text.RegularExpressions;
using Serverless.LocalServices;

namespace Serverless.Pipeline.Tests.Storage;

/// <summary>One writer per table: the tables that had two owners are reached through one class only.</summary>
public sealed partial class TableOwnershipTests
{
    [Theory]
    [InlineData("Changes", "Metrics/ChangeLedger.cs")]
    [InlineData("ChangesByRun", "Metrics/ChangeLedger.cs")]
    [InlineData("Runs", "Runs/RunStore.cs")]
    [InlineData("RunIndex", "Runs/RunStore.cs")]
    [InlineData("Stages", "Runs/RunStore.cs")]
    [InlineData("Deployments", "Runs/RunStore.cs")]
    public void Only_its_owner_opens_a_table(string table, string owner)
    {
        var source = Path.Combine(RepositoryRoot.Path, "src", "Serverless.Pipeline");
        var users = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => Regex.IsMatch(File.ReadAllText(f), $@"\b[Tt]ables\.{table}\b"))
            .Select(f => Path.GetRelativePath(source, f).Replace(Path.DirectorySeparatorChar, '/'))
            .ToList();

        Assert.Equal([owner], users);
    }
}
