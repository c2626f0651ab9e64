using Epsilon.Actors.Bench.Macro;

namespace Epsilon.Actors.Bench.Micro;

/// <summary><c>micro</c>: the BenchmarkDotNet micro-benchmarks of the hot paths (MemoryDiagnoser).</summary>
internal sealed class MicroScenario : IScenario
{
    public string Name => "micro";

    public string Description => "BenchmarkDotNet micro-benchmarks: loop wake-up, readiness → Received, the Write path (allocations too)";

    /// <summary>Extra arguments for BenchmarkDotNet (filters).</summary>
    public string[] Arguments { get; set; } = [];

    public Task<string> RunAsync(BenchOptions options)
    {
        var file = Path.GetTempFileName();
        try
        {
            var exit = MicroBenchmarks.Run(Arguments, file);
            var text = File.Exists(file) ? File.ReadAllText(file) : "";
            return Task.FromResult(exit == 0 ? text : text + $"\n(BenchmarkDotNet exited with {exit})\n");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
