using System.Net.Sockets;

namespace Epsilon.Actors.Io.EventLoops.Unix;

/// <summary>
/// Linux <c>errno</c> values (asm-generic numbering) and their translation into
/// <see cref="SocketError"/>, so that native backends report the same errors as System.Net.Sockets.
/// Pure: no I/O, no state.
/// </summary>
internal static class Errno
{
    /// <summary><c>EPERM</c>: operation not permitted (e.g. a firewall rule rejected a connect).</summary>
    public const int EPERM = 1;

    /// <summary><c>ENOENT</c>: no such entry (epoll: the descriptor is not registered).</summary>
    public const int ENOENT = 2;

    /// <summary><c>EINTR</c>: a signal interrupted the call; the wrappers retry it.</summary>
    public const int EINTR = 4;

    /// <summary><c>EBADF</c>: not an open descriptor (the socket was closed underneath the call).</summary>
    public const int EBADF = 9;

    /// <summary><c>EAGAIN</c> (= <c>EWOULDBLOCK</c> on Linux): nothing to do without blocking.</summary>
    public const int EAGAIN = 11;

    /// <summary><c>ENOMEM</c>: the kernel is out of memory.</summary>
    public const int ENOMEM = 12;

    /// <summary><c>EACCES</c>: permission denied (privileged port, broadcast without SO_BROADCAST).</summary>
    public const int EACCES = 13;

    /// <summary><c>EFAULT</c>: a pointer argument was outside the address space.</summary>
    public const int EFAULT = 14;

    /// <summary><c>EEXIST</c>: already exists (epoll: the descriptor is already registered).</summary>
    public const int EEXIST = 17;

    /// <summary><c>EINVAL</c>: invalid argument.</summary>
    public const int EINVAL = 22;

    /// <summary><c>ENFILE</c>: the system-wide descriptor table is full.</summary>
    public const int ENFILE = 23;

    /// <summary><c>EMFILE</c>: the per-process descriptor limit is reached.</summary>
    public const int EMFILE = 24;

    /// <summary><c>ENOSPC</c>: no space (epoll: <c>max_user_watches</c> reached).</summary>
    public const int ENOSPC = 28;

    /// <summary><c>EPIPE</c>: writing to a connection whose sending side is shut down or that the peer reset.</summary>
    public const int EPIPE = 32;

    /// <summary><c>ENONET</c>: the machine is not on the network (a pending network error <c>accept4</c> may pass on).</summary>
    public const int ENONET = 64;

    /// <summary><c>EPROTO</c>: protocol error (a pending network error <c>accept4</c> may pass on).</summary>
    public const int EPROTO = 71;

    /// <summary><c>ENOTSOCK</c>: the descriptor is not a socket.</summary>
    public const int ENOTSOCK = 88;

    /// <summary><c>EDESTADDRREQ</c>: a datagram send without a destination.</summary>
    public const int EDESTADDRREQ = 89;

    /// <summary><c>EMSGSIZE</c>: the datagram is larger than the protocol allows.</summary>
    public const int EMSGSIZE = 90;

    /// <summary><c>EPROTOTYPE</c>: the protocol does not fit the socket type.</summary>
    public const int EPROTOTYPE = 91;

    /// <summary><c>ENOPROTOOPT</c>: unknown option at this level.</summary>
    public const int ENOPROTOOPT = 92;

    /// <summary><c>EPROTONOSUPPORT</c>: the protocol is not supported.</summary>
    public const int EPROTONOSUPPORT = 93;

    /// <summary><c>ESOCKTNOSUPPORT</c>: the socket type is not supported.</summary>
    public const int ESOCKTNOSUPPORT = 94;

    /// <summary><c>EOPNOTSUPP</c>: the operation is not supported on this socket (e.g. listen on UDP).</summary>
    public const int EOPNOTSUPP = 95;

    /// <summary><c>EAFNOSUPPORT</c>: the address family is not supported (e.g. IPv6 disabled).</summary>
    public const int EAFNOSUPPORT = 97;

    /// <summary><c>EADDRINUSE</c>: the local address is already in use.</summary>
    public const int EADDRINUSE = 98;

    /// <summary><c>EADDRNOTAVAIL</c>: the address is not local, or no ephemeral port is left.</summary>
    public const int EADDRNOTAVAIL = 99;

    /// <summary><c>ENETDOWN</c>: the network is down.</summary>
    public const int ENETDOWN = 100;

    /// <summary><c>ENETUNREACH</c>: no route to the network.</summary>
    public const int ENETUNREACH = 101;

    /// <summary><c>ENETRESET</c>: the network dropped the connection on reset.</summary>
    public const int ENETRESET = 102;

    /// <summary><c>ECONNABORTED</c>: a connection was aborted before <c>accept</c> took it.</summary>
    public const int ECONNABORTED = 103;

    /// <summary><c>ECONNRESET</c>: the peer reset the connection.</summary>
    public const int ECONNRESET = 104;

    /// <summary><c>ENOBUFS</c>: no buffer space in the kernel.</summary>
    public const int ENOBUFS = 105;

    /// <summary><c>EISCONN</c>: the socket is already connected.</summary>
    public const int EISCONN = 106;

    /// <summary><c>ENOTCONN</c>: the socket is not connected (or a connect is still in progress).</summary>
    public const int ENOTCONN = 107;

    /// <summary><c>ESHUTDOWN</c>: sending after the sending side was shut down.</summary>
    public const int ESHUTDOWN = 108;

    /// <summary><c>ETIMEDOUT</c>: the connect or keep-alive timed out.</summary>
    public const int ETIMEDOUT = 110;

    /// <summary><c>ECONNREFUSED</c>: nobody listens at the remote address.</summary>
    public const int ECONNREFUSED = 111;

    /// <summary><c>EHOSTDOWN</c>: the host is down.</summary>
    public const int EHOSTDOWN = 112;

    /// <summary><c>EHOSTUNREACH</c>: no route to the host.</summary>
    public const int EHOSTUNREACH = 113;

    /// <summary><c>EALREADY</c>: a non-blocking connect is already in progress.</summary>
    public const int EALREADY = 114;

    /// <summary><c>EINPROGRESS</c>: a non-blocking connect has started; completion is signalled by write readiness.</summary>
    public const int EINPROGRESS = 115;

    /// <summary>
    /// Translates an <c>errno</c> into the <see cref="SocketError"/> that System.Net.Sockets would
    /// report, except that <c>EINPROGRESS</c> becomes <see cref="SocketError.WouldBlock"/> (the
    /// <see cref="LoopSocket.Connect"/> contract: "arm write interest and call FinishConnect").
    /// Unknown values become <see cref="SocketError.SocketError"/>.
    /// </summary>
    public static SocketError ToSocketError(int errno) => errno switch
    {
        0 => SocketError.Success,
        EAGAIN => SocketError.WouldBlock,
        EINPROGRESS => SocketError.WouldBlock,
        EALREADY => SocketError.AlreadyInProgress,
        EINTR => SocketError.Interrupted,
        ECONNREFUSED => SocketError.ConnectionRefused,
        ECONNRESET => SocketError.ConnectionReset,
        ECONNABORTED => SocketError.ConnectionAborted,
        EPIPE => SocketError.Shutdown,
        ESHUTDOWN => SocketError.Shutdown,
        EADDRINUSE => SocketError.AddressAlreadyInUse,
        EADDRNOTAVAIL => SocketError.AddressNotAvailable,
        ETIMEDOUT => SocketError.TimedOut,
        ENETUNREACH => SocketError.NetworkUnreachable,
        ENETDOWN => SocketError.NetworkDown,
        ENETRESET => SocketError.NetworkReset,
        EHOSTUNREACH => SocketError.HostUnreachable,
        EHOSTDOWN => SocketError.HostDown,
        EMFILE => SocketError.TooManyOpenSockets,
        ENFILE => SocketError.TooManyOpenSockets,
        ENOBUFS => SocketError.NoBufferSpaceAvailable,
        ENOMEM => SocketError.NoBufferSpaceAvailable,
        EACCES => SocketError.AccessDenied,
        EPERM => SocketError.AccessDenied,
        EINVAL => SocketError.InvalidArgument,
        EFAULT => SocketError.Fault,
        ENONET => SocketError.NetworkDown,
        ENOTCONN => SocketError.NotConnected,
        EISCONN => SocketError.IsConnected,
        EBADF => SocketError.OperationAborted,
        ENOTSOCK => SocketError.NotSocket,
        EDESTADDRREQ => SocketError.DestinationAddressRequired,
        EMSGSIZE => SocketError.MessageSize,
        EPROTOTYPE => SocketError.ProtocolType,
        ENOPROTOOPT => SocketError.ProtocolOption,
        EPROTONOSUPPORT => SocketError.ProtocolNotSupported,
        ESOCKTNOSUPPORT => SocketError.SocketNotSupported,
        EOPNOTSUPP => SocketError.OperationNotSupported,
        EAFNOSUPPORT => SocketError.AddressFamilyNotSupported,
        _ => SocketError.SocketError,
    };
}
