namespace Serverless.LocalServices;

/// <summary>Finds the build output of one of the repository's programs, in the configuration this code was built in.</summary>
public static class BuildOutput
{
    public static string Find(string project)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(RepositoryRoot.Path, "src", project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first: {path} does not exist.");
    }
}
