using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Epsilon.Actors.Io.EventLoops.Unix;

/// <summary>
/// A non-blocking Linux socket over a raw file descriptor, driven by direct libc calls. Ordinary
/// network conditions come back as <see cref="SocketError"/> values; nothing here throws except
/// <see cref="WithManagedView"/> (which runs user code) and the constructor's argument check.
/// </summary>
/// <remarks>
/// <para>
/// The descriptor must already be non-blocking (created with <c>SOCK_NONBLOCK</c> or accepted
/// with <c>accept4(SOCK_NONBLOCK)</c>). <c>EINTR</c> is retried inside each call, so callers never
/// see <see cref="SocketError.Interrupted"/>.
/// </para>
/// <para>
/// Thread-safety: <see cref="Dispose"/> is safe from any thread and closes the descriptor exactly
/// once. Other members follow <see cref="LoopSocket"/>'s one-user-at-a-time rule; after disposal
/// they return <see cref="SocketError.OperationAborted"/> (or null) instead of touching a
/// descriptor number the kernel may already have handed to someone else. A call racing with
/// <see cref="Dispose"/> on another thread is not protected against that reuse, which is why the
/// owner disposes only after unregistering from its poller.
/// </para>
/// </remarks>
internal sealed unsafe partial class NativeSocket : LoopSocket
{
    private readonly int _fd;
    private readonly AddressFamily _addressFamily;
    private int _disposed;
    private bool _ipv6OnlyChosen;

    /// <summary>Takes ownership of <paramref name="fd"/>, a non-blocking socket of <paramref name="addressFamily"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">when <paramref name="fd"/> is negative.</exception>
    public NativeSocket(int fd, AddressFamily addressFamily)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        _fd = fd;
        _addressFamily = addressFamily;
    }

    /// <summary>Closes the descriptor if the owner forgot to dispose, so a leak costs memory, not descriptors.</summary>
    ~NativeSocket()
    {
        CloseOnce();
    }

    /// <summary>The file descriptor, for the poller. Valid until <see cref="Dispose"/>.</summary>
    internal int Fd => _fd;

    /// <summary>True once <see cref="Dispose"/> (or <see cref="LoopSocket.Abort"/>) has run.</summary>
    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <inheritdoc />
    public override AddressFamily AddressFamily => _addressFamily;

    /// <summary>The bound address from <c>getsockname</c>, read on every access (it changes on bind and connect); null if unbound or disposed.</summary>
    public override EndPoint? LocalEndPoint => ReadAddress(peer: false);

    /// <summary>The peer from <c>getpeername</c>, cached after the first successful read (a connection's peer never changes); null until connected.</summary>
    public override EndPoint? RemoteEndPoint => ReadAddress(peer: true);

    /// <summary>
    /// Binds to an <see cref="IPEndPoint"/>. On an IPv6 socket bound to <see cref="IPAddress.IPv6Any"/>,
    /// <c>IPV6_V6ONLY</c> is cleared first (dual-stack, as System.Net.Sockets does) unless the
    /// caller set <see cref="SocketOptionName.IPv6Only"/> explicitly.
    /// </summary>
    /// <returns><see cref="SocketError.InvalidArgument"/> for a <see cref="DnsEndPoint"/>; otherwise the outcome of <c>bind</c>.</returns>
    public override SocketError Bind(EndPoint endPoint)
    {
        if (IsDisposed)
        {
            return SocketError.OperationAborted;
        }

        Span<byte> address = stackalloc byte[SocketAddressCodec.MaxEncodedLength];
        var error = SocketAddressCodec.TryEncode(endPoint, _addressFamily, address, out int length);
        if (error != SocketError.Success)
        {
            return error;
        }

        if (_addressFamily == AddressFamily.InterNetworkV6 && !_ipv6OnlyChosen
            && endPoint is IPEndPoint ip && ip.Address.Equals(IPAddress.IPv6Any))
        {
            // Best effort: if it fails, the host default (net.ipv6.bindv6only) applies.
            SetIntOption(UnixSocketInterop.IPPROTO_IPV6, UnixSocketInterop.IPV6_V6ONLY, 0);
        }

        fixed (byte* sockaddr = address)
        {
            return Result(UnixSocketInterop.Bind(_fd, sockaddr, (uint)length));
        }
    }

    /// <inheritdoc />
    public override SocketError Listen(int backlog)
    {
        if (IsDisposed)
        {
            return SocketError.OperationAborted;
        }

        return Result(UnixSocketInterop.Listen(_fd, backlog));
    }

    /// <summary>
    /// Accepts one pending connection as a new non-blocking, close-on-exec <see cref="NativeSocket"/>.
    /// </summary>
    /// <remarks>
    /// Linux passes some network errors of the pending connection to <c>accept</c>; as accept(2)
    /// advises, those (and a connection aborted before it was taken) are skipped and the next
    /// pending connection is tried, so the result is a socket, <see cref="SocketError.WouldBlock"/>
    /// or an error of the listener itself (such as <see cref="SocketError.TooManyOpenSockets"/>).
    /// </remarks>
    public override SocketError TryAccept(out LoopSocket? accepted)
    {
        accepted = null;
        if (IsDisposed)
        {
            return SocketError.OperationAborted;
        }

        while (true)
        {
            int fd = UnixSocketInterop.Accept4(_fd, null, null, UnixSocketInterop.SOCK_NONBLOCK | UnixSocketInterop.SOCK_CLOEXEC);
            if (fd >= 0)
            {
                accepted = new NativeSocket(fd, _addressFamily);
                return SocketError.Success;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno is Errno.EINTR or Errno.ECONNABORTED or Errno.EPROTO or Errno.ENETDOWN or Errno.ENONET
                or Errno.EHOSTDOWN or Errno.EHOSTUNREACH or Errno.ENETUNREACH)
            {
                continue;
            }

            return Errno.ToSocketError(errno);
        }
    }

    /// <summary>
    /// Starts a connect; <see cref="SocketError.WouldBlock"/> means "in progress" (<c>EINPROGRESS</c>,
    /// or <c>EINTR</c>, after which POSIX continues the connect asynchronously).
    /// </summary>
    public override SocketError Connect(EndPoint remote)
    {
        if (IsDisposed)
        {
            return SocketError.OperationAborted;
        }

        Span<byte> address = stackalloc byte[SocketAddressCodec.MaxEncodedLength];
        var error = SocketAddressCodec.TryEncode(remote, _addressFamily, address, out int length);
        if (error != SocketError.Success)
        {
            return error;
        }

        fixed (byte* sockaddr = address)
        {
            if (UnixSocketInterop.Connect(_fd, sockaddr, (uint)length) == 0)
            {
                return SocketError.Success;
            }
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno == Errno.EINTR ? SocketError.WouldBlock : Errno.ToSocketError(errno);
    }

    /// <summary>
    /// Reads the outcome of a pending connect from <c>SO_ERROR</c> (which clears it, so a failure is
    /// reported once). Returns <see cref="SocketError.WouldBlock"/> if called before the connect has
    /// finished (no error pending and no peer yet).
    /// </summary>
    public override SocketError FinishConnect()
    {
        if (IsDisposed)
        {
            return SocketError.OperationAborted;
        }

        int pending = 0;
        uint size = sizeof(int);
        if (UnixSocketInterop.GetSockOpt(_fd, UnixSocketInterop.SOL_SOCKET, UnixSocketInterop.SO_ERROR, &pending, &size) != 0)
        {
            return LastError();
        }

        if (pending != 0)
        {
            return Errno.ToSocketError(pending);
        }

        // SO_ERROR is 0 both after success and while still connecting: the peer name tells them apart.
        byte* sockaddr = stackalloc byte[UnixSocketInterop.SockaddrStorageSize];
        uint length = UnixSocketInterop.SockaddrStorageSize;
        if (UnixSocketInterop.GetPeerName(_fd, sockaddr, &length) == 0)
        {
            return SocketError.Success;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno == Errno.ENOTCONN ? SocketError.WouldBlock : Errno.ToSocketError(errno);
    }

    /// <summary>
    /// Reads with <c>recv</c>. An empty <paramref name="buffer"/> returns
    /// <see cref="SocketError.InvalidArgument"/>, because a zero-byte read would be
    /// indistinguishable from end of stream.
    /// </summary>
    public override SocketError Receive(Span<byte> buffer, out int received)
    {
        received = 0;
        if (IsDisposed)
        {
            return SocketError.OperationAborted;
        }

        if (buffer.IsEmpty)
        {
            return SocketError.InvalidArgument;
        }

        fixed (byte* data = buffer)
        {
            while (true)
            {
                nint result = UnixSocketInterop.Recv(_fd, data, (nuint)buffer.Length, 0);
                if (result >= 0)
                {
                    received = (int)result;
                    return SocketError.Success;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR)
                {
                    return Errno.ToSocketError(errno);
                }
            }
        }
    }

    /// <summary>
    /// Writes with <c>send(MSG_NOSIGNAL)</c>, so a broken connection returns an error
    /// (<see cref="SocketError.ConnectionReset"/> or <see cref="SocketError.Shutdown"/>) instead of
    /// raising SIGPIPE. An empty <paramref name="data"/> succeeds with nothing sent and no syscall.
    /// </summary>
    public override SocketError Send(ReadOnlySpan<byte> data, out int sent)
    {
        sent = 0;
        if (IsDisposed)
        {
            return SocketError.OperationAborted;
        }

        if (data.IsEmpty)
        {
            return SocketError.Success;
        }

        fixed (byte* bytes = data)
        {
            while (true)
            {
                nint result = UnixSocketInterop.Send(_fd, bytes, (nuint)data.Length, UnixSocketInterop.MSG_NOSIGNAL);
                if (result >= 0)
                {
                    sent = (int)result;
                    return SocketError.Success;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR)
                {
                    return Errno.ToSocketError(errno);
                }
            }
        }
    }

    /// <inheritdoc />
    public override SocketError Shutdown(SocketShutdown how)
    {
        if (IsDisposed)
        {
            return SocketError.OperationAborted;
        }

        int nativeHow = how switch
        {
            SocketShutdown.Receive => UnixSocketInterop.SHUT_RD,
            SocketShutdown.Send => UnixSocketInterop.SHUT_WR,
            SocketShutdown.Both => UnixSocketInterop.SHUT_RDWR,
            _ => -1,
        };
        return nativeHow < 0 ? SocketError.InvalidArgument : Result(UnixSocketInterop.Shutdown(_fd, nativeHow));
    }

    /// <summary>
    /// Sets one of the integer options listed in <see cref="UnixSocketInterop.TryGetNativeOption"/>;
    /// <see cref="SocketError.ProtocolOption"/> for others, <see cref="SocketError.InvalidArgument"/>
    /// for <see cref="SocketOptionName.Linger"/> (use <see cref="SetLinger"/>).
    /// </summary>
    public override SocketError SetOption(SocketOptionLevel level, SocketOptionName name, int value)
    {
        if (IsDisposed)
        {
            return SocketError.OperationAborted;
        }

        if (!UnixSocketInterop.TryGetNativeOption(level, name, out int nativeLevel, out int nativeName))
        {
            return SocketError.ProtocolOption;
        }

        if (nativeLevel == UnixSocketInterop.SOL_SOCKET && nativeName is UnixSocketInterop.SO_LINGER or UnixSocketInterop.SO_ERROR)
        {
            return SocketError.InvalidArgument;
        }

        var error = SetIntOption(nativeLevel, nativeName, value);
        if (error == SocketError.Success && nativeLevel == UnixSocketInterop.IPPROTO_IPV6 && nativeName == UnixSocketInterop.IPV6_V6ONLY)
        {
            _ipv6OnlyChosen = true;
        }

        return error;
    }

    /// <summary>
    /// Reads one of the integer options listed in <see cref="UnixSocketInterop.TryGetNativeOption"/>.
    /// <see cref="SocketOptionName.Error"/> is returned as a <see cref="SocketError"/> value (as
    /// <see cref="Socket.GetSocketOption(SocketOptionLevel, SocketOptionName)"/> does) and clears it.
    /// </summary>
    public override SocketError GetOption(SocketOptionLevel level, SocketOptionName name, out int value)
    {
        value = 0;
        if (IsDisposed)
        {
            return SocketError.OperationAborted;
        }

        if (!UnixSocketInterop.TryGetNativeOption(level, name, out int nativeLevel, out int nativeName))
        {
            return SocketError.ProtocolOption;
        }

        if (nativeLevel == UnixSocketInterop.SOL_SOCKET && nativeName == UnixSocketInterop.SO_LINGER)
        {
            return SocketError.InvalidArgument;
        }

        int raw = 0;
        uint size = sizeof(int);
        if (UnixSocketInterop.GetSockOpt(_fd, nativeLevel, nativeName, &raw, &size) != 0)
        {
            return LastError();
        }

        value = nativeLevel == UnixSocketInterop.SOL_SOCKET && nativeName == UnixSocketInterop.SO_ERROR
            ? (int)Errno.ToSocketError(raw)
            : raw;
        return SocketError.Success;
    }

    /// <summary>
    /// Sets SO_LINGER. <c>(true, 0)</c> makes <see cref="Dispose"/> send a reset (what
    /// <see cref="LoopSocket.Abort"/> relies on); a negative <paramref name="seconds"/> is
    /// <see cref="SocketError.InvalidArgument"/>.
    /// </summary>
    public override SocketError SetLinger(bool enabled, int seconds)
    {
        if (IsDisposed)
        {
            return SocketError.OperationAborted;
        }

        if (seconds < 0)
        {
            return SocketError.InvalidArgument;
        }

        var linger = new UnixSocketInterop.Linger { OnOff = enabled ? 1 : 0, Seconds = seconds };
        return Result(UnixSocketInterop.SetSockOpt(
            _fd, UnixSocketInterop.SOL_SOCKET, UnixSocketInterop.SO_LINGER, &linger, (uint)sizeof(UnixSocketInterop.Linger)));
    }

    /// <summary>
    /// Runs <paramref name="configure"/> with a <see cref="Socket"/> wrapping the descriptor without
    /// owning it. Disposing the view neither closes nor shuts down the descriptor (checked on
    /// .NET 10). If anything in the action cleared <c>O_NONBLOCK</c>, it is restored afterwards;
    /// .NET 10 itself keeps the descriptor non-blocking even when <see cref="Socket.Blocking"/> is
    /// set to true, so this is a safety net. Exceptions from the action propagate.
    /// </summary>
    /// <exception cref="ObjectDisposedException">when this socket is already disposed.</exception>
    public override void WithManagedView(Action<Socket> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        try
        {
            using var view = new Socket(new SafeSocketHandle(_fd, ownsHandle: false));
            configure(view);
        }
        finally
        {
            RestoreNonBlocking();
        }
    }

    /// <summary>
    /// Closes the descriptor exactly once, from any thread. Graceful unless SO_LINGER was set to
    /// zero. The owning poller must have unregistered the socket first.
    /// </summary>
    public override void Dispose()
    {
        CloseOnce();
        GC.SuppressFinalize(this);
    }

    /// <summary>A compact description for logs: descriptor, family and state.</summary>
    public override string ToString() => $"NativeSocket(fd={_fd}, {_addressFamily}{(IsDisposed ? ", closed" : string.Empty)})";

    private void CloseOnce()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // Never retried: on Linux the descriptor is released even when close reports EINTR.
            UnixSocketInterop.Close(_fd);
        }
    }

    private EndPoint? ReadAddress(bool peer)
    {
        if (IsDisposed)
        {
            return null;
        }

        byte* sockaddr = stackalloc byte[UnixSocketInterop.SockaddrStorageSize];
        uint length = UnixSocketInterop.SockaddrStorageSize;
        int result = peer
            ? UnixSocketInterop.GetPeerName(_fd, sockaddr, &length)
            : UnixSocketInterop.GetSockName(_fd, sockaddr, &length);
        if (result != 0)
        {
            return null;
        }

        return SocketAddressCodec.Decode(new ReadOnlySpan<byte>(sockaddr, (int)Math.Min(length, (uint)UnixSocketInterop.SockaddrStorageSize)));
    }

    private SocketError SetIntOption(int nativeLevel, int nativeName, int value) =>
        Result(UnixSocketInterop.SetSockOpt(_fd, nativeLevel, nativeName, &value, sizeof(int)));

    private void RestoreNonBlocking()
    {
        if (IsDisposed)
        {
            return;
        }

        int flags = UnixSocketInterop.Fcntl(_fd, UnixSocketInterop.F_GETFL, 0);
        if (flags >= 0 && (flags & UnixSocketInterop.O_NONBLOCK) == 0)
        {
            UnixSocketInterop.Fcntl(_fd, UnixSocketInterop.F_SETFL, flags | UnixSocketInterop.O_NONBLOCK);
        }
    }

    private static SocketError Result(int returnCode) => returnCode == 0 ? SocketError.Success : LastError();

    private static SocketError LastError() => Errno.ToSocketError(Marshal.GetLastPInvokeError());
}
