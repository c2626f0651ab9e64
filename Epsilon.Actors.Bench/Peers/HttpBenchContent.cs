namespace Epsilon.Actors.Bench.Peers;

/// <summary>What every HTTP peer serves, so that all of them send the same bytes.</summary>
internal static class HttpBenchContent
{
    /// <summary>The plaintext body: 13 bytes.</summary>
    public const string PlaintextBody = "Hello, World!";

    /// <summary>
    /// The environment variable naming the directory of files served under <c>/static/</c>; the
    /// orchestrator sets it before starting the servers, which inherit it.
    /// </summary>
    public const string StaticRootVariable = "EPSILON_BENCH_STATIC_ROOT";

    /// <summary>The static files' directory, or null when the scenario serves none.</summary>
    public static string? StaticRoot() =>
        Environment.GetEnvironmentVariable(StaticRootVariable) is { Length: > 0 } root && Directory.Exists(root) ? root : null;
}
