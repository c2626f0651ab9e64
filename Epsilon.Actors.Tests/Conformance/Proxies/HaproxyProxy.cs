using Epsilon.Actors.Tests.TestKit;

namespace Epsilon.Actors.Tests.Conformance.Proxies;

/// <summary>HAProxy as a reverse proxy in front of a loopback upstream, run in the foreground (<c>-db</c>) as the test's own process.</summary>
internal static class HaproxyProxy
{
    /// <summary>
    /// The configuration: HTTP mode with keep-alive on both sides and <c>http-reuse always</c>, so
    /// an idle upstream connection serves the next request whichever client sent it; bodies are
    /// forwarded as they arrive (no <c>http-buffer-request</c>).
    /// </summary>
    public static string Config(int port, int upstreamPort) => $"""
        global
            maxconn 1000

        defaults
            mode http
            option http-keep-alive
            http-reuse always
            timeout connect 5s
            timeout client 20s
            timeout server 20s
            timeout http-keep-alive 20s

        frontend proxy
            bind 127.0.0.1:{port}
            default_backend epsilon

        backend epsilon
            server upstream 127.0.0.1:{upstreamPort}

        """;

    /// <summary>Starts HAProxy (the <c>haproxy</c> package) in front of <paramref name="upstreamPort"/>.</summary>
    public static Task<ExternalServerProcess> StartAsync(int upstreamPort)
    {
        var haproxy = File.Exists("/usr/sbin/haproxy") ? "/usr/sbin/haproxy" : ExternalTool.Require("haproxy", "haproxy"); // sbin is not on every PATH
        return ExternalServerProcess.StartAsync("haproxy", haproxy, (directory, port) =>
        {
            var cfg = Path.Combine(directory, "haproxy.cfg");
            File.WriteAllText(cfg, Config(port, upstreamPort));
            return ["-f", cfg, "-db"];
        }, TimeSpan.FromSeconds(15));
    }
}
