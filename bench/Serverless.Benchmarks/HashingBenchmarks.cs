using BenchmarkDotNet.Attributes;
using Serverless.Pipeline.Build;

namespace Serverless.Benchmarks;

/// <summary>
/// Artifact hashing: the SHA-256 of one file (<see cref="ArtifactVersion.Sha256Hex"/>, as every stage computes to
/// verify an artifact) and an artifact's version (<see cref="ArtifactVersion.Of"/>: a compiled template of the given
/// size and three small parameters files, as the build computes once per commit).
/// </summary>
[MemoryDiagnoser]
public class HashingBenchmarks
{
    private byte[] _content = [];
    private (string Name, byte[] Content)[] _artifact = [];

    [Params(10 * 1024, 1024 * 1024, 10 * 1024 * 1024)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _content = new byte[Bytes];
        new Random(42).NextBytes(_content);
        _artifact =
        [
            ("template.json", _content),
            ("parameters/dev.json", new byte[600]),
            ("parameters/prod-westeurope.json", new byte[600]),
            ("parameters/prod-eastus.json", new byte[600]),
        ];
    }

    [Benchmark]
    public string Sha256Hex() => ArtifactVersion.Sha256Hex(_content);

    [Benchmark]
    public string VersionOfArtifact() => ArtifactVersion.Of(_artifact);
}
