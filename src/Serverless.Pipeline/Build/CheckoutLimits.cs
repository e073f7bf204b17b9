using System.Globalization;

namespace Serverless.Pipeline.Build;

/// <summary>
/// How much of a stack one build may write to disk (<see cref="SourceOptions"/>): the largest file, all files together,
/// and how many. Checked on the sizes git records, before anything is written; over a limit, nothing is.
/// </summary>
public static class CheckoutLimits
{
    public static IReadOnlyList<BuildProblem> Check(IEnumerable<(string Path, long Size)> files, SourceOptions limits)
    {
        var problems = new List<BuildProblem>();
        long total = 0;
        var count = 0;
        foreach (var (path, size) in files)
        {
            if (size > limits.MaxFileBytes)
                problems.Add(new BuildProblem("source", path, 0, 0, "Sources:MaxFileBytes",
                    $"The file is {Bytes(size)}, over the largest file a build checks out ({Bytes(limits.MaxFileBytes)}); nothing was written."));
            if (++count == limits.MaxCheckoutFiles + 1)
                problems.Add(new BuildProblem("source", path, 0, 0, "Sources:MaxCheckoutFiles",
                    $"The stack has more files than a build checks out ({limits.MaxCheckoutFiles.ToString("N0", CultureInfo.InvariantCulture)}); nothing was written."));
            var before = total;
            total += size;
            if (before <= limits.MaxCheckoutBytes && total > limits.MaxCheckoutBytes)
                problems.Add(new BuildProblem("source", path, 0, 0, "Sources:MaxCheckoutBytes",
                    $"With this file the stack's files come to more than a build checks out ({Bytes(limits.MaxCheckoutBytes)}); nothing was written."));
        }
        return problems;
    }

    private static string Bytes(long size) => $"{size.ToString("N0", CultureInfo.InvariantCulture)} bytes";
}
