using System.Text.RegularExpressions;
using Serverless.LocalServices;

namespace Serverless.Pipeline.Tests.Storage;

/// <summary>One writer per table: each table is opened by one store, its owner, in its slice.</summary>
public sealed partial class TableOwnershipTests
{
    private static readonly Lazy<ILookup<string, string>> Openers = new(ReadOpeners);

    [Theory]
    [InlineData("changes", "Metrics/ChangeLedger.cs")]
    [InlineData("changesbyrun", "Metrics/ChangeLedger.cs")]
    [InlineData("runs", "Runs/RunStore.cs")]
    [InlineData("runindex", "Runs/RunStore.cs")]
    [InlineData("stages", "Runs/RunStore.cs")]
    [InlineData("deployments", "Runs/RunStore.cs")]
    public void The_tables_that_had_two_owners_have_one(string table, string owner) =>
        Assert.Equal([owner], Openers.Value[table]);

    [Fact]
    public void Every_table_is_opened_by_exactly_one_file()
    {
        Assert.True(Openers.Value.Count >= 16, $"Only {Openers.Value.Count} tables were found: {string.Join(", ", Openers.Value.Select(t => t.Key))}");
        var shared = Openers.Value.Where(t => t.Count() > 1).Select(t => $"{t.Key}: {string.Join(", ", t)}").ToList();
        Assert.True(shared.Count == 0, $"Tables opened by more than one file: {string.Join("; ", shared)}");
    }

    /// <summary>Which files of Serverless.Pipeline open which table (<c>tables.Open("name")</c>).</summary>
    private static ILookup<string, string> ReadOpeners()
    {
        var source = Path.Combine(RepositoryRoot.Path, "src", "Serverless.Pipeline");
        return Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => OpenCall().Matches(File.ReadAllText(f)).Select(m => (Table: m.Groups["table"].Value, File: f)))
            .Distinct()
            .ToLookup(o => o.Table, o => Path.GetRelativePath(source, o.File).Replace(Path.DirectorySeparatorChar, '/'));
    }

    [GeneratedRegex(@"\btables\.Open\(""(?<table>[a-z]+)""\)")]
    private static partial Regex OpenCall();
}
