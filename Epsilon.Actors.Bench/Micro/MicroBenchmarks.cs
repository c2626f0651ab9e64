namespace Epsilon.Actors.Bench.Micro;

/// <summary>Placeholder until the micro-benchmark suite lands (replaced by it).</summary>
internal static class MicroBenchmarks
{
    public static int Run(string[] args, string? outFile) => 0;
}
