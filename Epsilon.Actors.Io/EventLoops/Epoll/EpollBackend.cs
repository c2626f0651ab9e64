using System.Net.Sockets;
using System.Runtime.InteropServices;
using Epsilon.Actors.Io.EventLoops.Unix;

namespace Epsilon.Actors.Io.EventLoops.Epoll;

/// <summary>
/// The Linux backend: <see cref="EpollPoller"/>s and <see cref="NativeSocket"/>s making system
/// calls directly through libc, bypassing System.Net.Sockets on the data path.
/// </summary>
internal sealed class EpollBackend : IoBackend
{
    private static readonly Lazy<bool> s_isSupported = new(Probe);

    private readonly bool _edgeTriggered;

    /// <summary>Creates the backend; every poller it creates uses the same triggering mode.</summary>
    /// <param name="edgeTriggered">True for <c>EPOLLET</c> (one registration per socket, no re-arming); false for one-shot level-triggered arming.</param>
    /// <exception cref="PlatformNotSupportedException">when <see cref="IsSupported"/> is false.</exception>
    public EpollBackend(bool edgeTriggered)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("The epoll backend needs Linux with epoll_create1 available through libc.");
        }

        _edgeTriggered = edgeTriggered;
        Capabilities = new IoBackendCapabilities(EdgeTriggered: edgeTriggered, ReusePort: true, NativeSyscalls: true);
    }

    /// <summary>
    /// True on Linux when libc loads and <c>epoll_create1</c> succeeds (it can be blocked by a
    /// seccomp profile). Probed once, on first access, by creating and closing an epoll descriptor.
    /// </summary>
    public static bool IsSupported => s_isSupported.Value;

    /// <summary>Always <c>epoll</c>, for both triggering modes.</summary>
    public override string Name => "epoll";

    /// <summary>Edge-triggered per the constructor; SO_REUSEPORT and native system calls always (Linux 3.9+).</summary>
    public override IoBackendCapabilities Capabilities { get; }

    /// <summary>Creates an <see cref="EpollPoller"/> in this backend's triggering mode.</summary>
    /// <exception cref="SocketException">when the descriptor limit prevents creating the epoll instance or its eventfd.</exception>
    public override IPoller CreatePoller() => new EpollPoller(_edgeTriggered);

    /// <summary>
    /// Opens a non-blocking, close-on-exec <see cref="NativeSocket"/>: IPv4 or IPv6, stream (TCP)
    /// or datagram (UDP). <see cref="ProtocolType.Unspecified"/> or <see cref="ProtocolType.IP"/>
    /// lets the kernel pick the protocol for the socket type.
    /// </summary>
    /// <exception cref="SocketException">
    /// with <see cref="SocketError.AddressFamilyNotSupported"/>, <see cref="SocketError.SocketNotSupported"/>
    /// or <see cref="SocketError.ProtocolNotSupported"/> for combinations outside that list, or the
    /// mapped <c>errno</c> when <c>socket()</c> fails (for example <see cref="SocketError.TooManyOpenSockets"/>).
    /// </exception>
    public override LoopSocket Open(AddressFamily family, SocketType type, ProtocolType protocol)
    {
        int domain = family switch
        {
            AddressFamily.InterNetwork => UnixSocketInterop.AF_INET,
            AddressFamily.InterNetworkV6 => UnixSocketInterop.AF_INET6,
            _ => throw new SocketException((int)SocketError.AddressFamilyNotSupported),
        };
        int socketType = type switch
        {
            SocketType.Stream => UnixSocketInterop.SOCK_STREAM,
            SocketType.Dgram => UnixSocketInterop.SOCK_DGRAM,
            _ => throw new SocketException((int)SocketError.SocketNotSupported),
        };
        int nativeProtocol = protocol switch
        {
            ProtocolType.Unspecified or ProtocolType.IP => 0,
            ProtocolType.Tcp when type == SocketType.Stream => UnixSocketInterop.IPPROTO_TCP,
            ProtocolType.Udp when type == SocketType.Dgram => UnixSocketInterop.IPPROTO_UDP,
            _ => throw new SocketException((int)SocketError.ProtocolNotSupported),
        };

        int fd = UnixSocketInterop.Socket(domain, socketType | UnixSocketInterop.SOCK_NONBLOCK | UnixSocketInterop.SOCK_CLOEXEC, nativeProtocol);
        if (fd < 0)
        {
            throw new SocketException((int)Errno.ToSocketError(Marshal.GetLastPInvokeError()));
        }

        return new NativeSocket(fd, family);
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            int fd = EpollInterop.EpollCreate1(EpollInterop.EPOLL_CLOEXEC);
            if (fd < 0)
            {
                return false;
            }

            EpollInterop.Close(fd);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
