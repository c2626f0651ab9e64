using System.Net.Sockets;

namespace Epsilon.Actors.Io.EventLoops;

/// <summary>
/// One event-loop implementation: a factory of pollers and of the sockets those pollers accept.
/// </summary>
internal abstract class IoBackend
{
    /// <summary>The configuration name: <c>epoll</c>, <c>kqueue</c>, <c>iocp</c> or <c>portable</c>.</summary>
    public abstract string Name { get; }

    /// <summary>What this backend can do on this host.</summary>
    public abstract IoBackendCapabilities Capabilities { get; }

    /// <summary>Creates one poller (one per event loop).</summary>
    public abstract IPoller CreatePoller();

    /// <summary>Opens a non-blocking socket of this backend.</summary>
    /// <exception cref="SocketException">when the operating system refuses (descriptor limit, unsupported family).</exception>
    public abstract LoopSocket Open(AddressFamily family, SocketType type, ProtocolType protocol);
}
