namespace Epsilon.Actors.Bench.Macro;

/// <summary>One named benchmark scenario; returns its report as markdown.</summary>
internal interface IScenario
{
    string Name { get; }

    string Description { get; }

    Task<string> RunAsync(BenchOptions options);
}
