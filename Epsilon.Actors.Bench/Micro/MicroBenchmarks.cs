using System.Globalization;
using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Epsilon.Actors.Bench.Micro;

/// <summary>
/// Entry point of the micro-benchmarks: BenchmarkDotNet over every <c>…Bench</c> class of this
/// folder, with <see cref="MemoryDiagnoser"/> and a short in-process job (the whole set runs in
/// about a minute on two cores). Run a Release build:
/// <c>MicroBenchmarks.Run(["--filter", "*ReceivedDelivery*"], "results.md")</c>.
/// </summary>
/// <remarks>
/// Allocations are measured process-wide (<c>GC.GetTotalAllocatedBytes</c>), so what the event
/// loop thread and the actor dispatchers allocate for an operation is counted in it.
/// </remarks>
internal static class MicroBenchmarks
{
    /// <summary>Argument that selects BenchmarkDotNet's out-of-process toolchain instead of the in-process one.</summary>
    public const string OutOfProcessArgument = "--out-of-process";

    private static readonly List<string> s_notes = [];

    /// <summary>Every micro-benchmark class, in the order they run.</summary>
    public static readonly Type[] Types =
    [
        typeof(LoopRegistrationBench),
        typeof(TcpWriteQueueBench),
        typeof(LoopSocketBench),
        typeof(EventLoopWakeBench),
        typeof(ReceivedDeliveryBench),
        typeof(WritePathBench),
        typeof(Http1RequestParserBench),
        typeof(Http1ResponseWriterBench),
        typeof(HttpRoutingBench),
        typeof(Http1ServerStageBench),
    ];

    /// <summary>
    /// Runs the benchmarks selected by <paramref name="args"/> (BenchmarkDotNet's command line,
    /// e.g. <c>--filter *WritePath*</c>; all of them when no filter is given) and, when
    /// <paramref name="outFile"/> is set, appends a markdown table of method, mean and allocated
    /// bytes per operation to it.
    /// </summary>
    /// <remarks>
    /// <see cref="OutOfProcessArgument"/> runs each benchmark in its own process (same counts;
    /// about three times slower because of the build and the process starts).
    /// </remarks>
    /// <returns>0 when every selected benchmark ran; 1 otherwise (including when none matched).</returns>
    public static int Run(string[] args, string? outFile)
    {
        var outOfProcess = args.Contains(OutOfProcessArgument);
        args = [.. args.Where(a => a != OutOfProcessArgument)];
        if (!args.Any(a => a is "--filter" or "-f" || a.StartsWith("--filter=", StringComparison.Ordinal)))
            args = [.. args, "--filter", "*"];

        lock (s_notes) s_notes.Clear();
        var summaries = BenchmarkSwitcher.FromTypes(Types).Run(args, CreateConfig(outOfProcess)).ToArray();
        if (outFile is not null && summaries.Length > 0) File.AppendAllText(outFile, ToMarkdown(summaries));

        var ok = summaries.Length > 0 && summaries.All(s =>
            !s.HasCriticalValidationErrors
            && s.Reports.Length > 0
            && s.Reports.All(r => r.Success && r.ResultStatistics is not null));
        return ok ? 0 : 1;
    }

    /// <summary>
    /// Records a line (reads per message, bytes drained …) for the markdown output; benchmarks
    /// call it from their cleanup. Only in-process runs collect them; they are printed either way.
    /// </summary>
    public static void Note(string line)
    {
        Console.WriteLine("// [micro] " + line);
        lock (s_notes) s_notes.Add(line);
    }

    /// <summary>
    /// The job: 2 warm-up and 5 measured iterations of about 200 ms each, one launch, in-process
    /// by default (no project build and no process start per benchmark, which together cost more
    /// than the measurements on a small machine).
    /// </summary>
    internal static IConfig CreateConfig(bool outOfProcess = false)
    {
        var job = Job.Default;
        if (!outOfProcess) job = job.WithToolchain(InProcessEmitToolchain.Instance);
        job = job
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(5)
            .WithIterationTime(TimeInterval.FromMilliseconds(200))
            .WithId("MicroShort");

        return ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.JoinSummary);
    }

    /// <summary>One markdown table over every report: benchmark, mean, allocated bytes per operation.</summary>
    internal static string ToMarkdown(IEnumerable<Summary> summaries)
    {
        var md = new StringBuilder();
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"## Micro-benchmarks ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores)");
        md.AppendLine();
        md.AppendLine("| Benchmark | Method | What | Params | Mean | Allocated/op |");
        md.AppendLine("|---|---|---|---|---:|---:|");
        foreach (var summary in summaries)
        {
            foreach (var report in summary.Reports)
            {
                var benchmark = report.BenchmarkCase;
                var type = benchmark.Descriptor.Type.Name;
                var method = benchmark.Descriptor.WorkloadMethod.Name;
                var what = benchmark.Descriptor.WorkloadMethodDisplayInfo.Trim('\'');
                var parameters = benchmark.HasParameters ? benchmark.Parameters.DisplayInfo : "";
                var mean = report.ResultStatistics is { } stats ? FormatTime(stats.Mean) : "failed";
                var allocated = report.GcStats.GetBytesAllocatedPerOperation(benchmark) is { } bytes
                    ? bytes.ToString("N0", CultureInfo.InvariantCulture) + " B"
                    : "n/a";
                md.AppendLine(CultureInfo.InvariantCulture, $"| {type} | {method} | {what} | {parameters} | {mean} | {allocated} |");
            }
        }

        lock (s_notes)
        {
            if (s_notes.Count > 0) md.AppendLine();
            foreach (var note in s_notes) md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        }

        return md.ToString();
    }

    private static string FormatTime(double nanoseconds) => nanoseconds switch
    {
        < 1_000 => nanoseconds.ToString("F1", CultureInfo.InvariantCulture) + " ns",
        < 1_000_000 => (nanoseconds / 1_000).ToString("F2", CultureInfo.InvariantCulture) + " µs",
        _ => (nanoseconds / 1_000_000).ToString("F2", CultureInfo.InvariantCulture) + " ms",
    };
}
