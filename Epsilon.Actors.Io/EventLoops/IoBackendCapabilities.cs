namespace Epsilon.Actors.Io.EventLoops;

/// <summary>What the chosen event-loop backend can do on this host; logged once at start.</summary>
/// <param name="EdgeTriggered">Readiness is reported on edges (epoll with EPOLLET); otherwise one-shot level readiness.</param>
/// <param name="ReusePort">SO_REUSEPORT is available, so several listeners may share one port.</param>
/// <param name="NativeSyscalls">Socket calls go straight to the C library rather than through System.Net.Sockets.</param>
public sealed record IoBackendCapabilities(bool EdgeTriggered, bool ReusePort, bool NativeSyscalls)
{
    /// <summary>A compact form for the start-up log line.</summary>
    public override string ToString() =>
        $"edge-triggered={(EdgeTriggered ? "yes" : "no")}, so-reuseport={(ReusePort ? "yes" : "no")}, native-syscalls={(NativeSyscalls ? "yes" : "no")}";
}
