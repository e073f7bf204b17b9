using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// Micro-benchmarks of the pipeline's pure computations; see docs/performance.md.
//   dotnet run --project bench/Serverless.Benchmarks -c Release -- --filter '*'
// Reports go to BenchmarkDotNet.Artifacts beside the program (under bin/, which git ignores).
var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
BenchmarkSwitcher.FromAssembly(typeof(Serverless.Benchmarks.HashingBenchmarks).Assembly).Run(args, config);
