using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Epsilon.Actors.Io.EventLoops.Unix;

namespace Epsilon.Actors.Io.EventLoops.Epoll;

/// <summary>
/// An <see cref="IPoller"/> over one Linux epoll instance, edge-triggered or one-shot
/// level-triggered, with an eventfd for <see cref="Wake"/>.
/// </summary>
/// <remarks>
/// <para>
/// Edge-triggered: each socket is added once with <c>EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET</c>
/// and <see cref="Arm"/> does nothing; every edge is reported and the event loop keeps the ones
/// nobody armed for yet. This costs one <c>epoll_ctl</c> per socket lifetime.
/// </para>
/// <para>
/// Level-triggered: sockets are added disarmed (<c>EPOLLONESHOT</c>, no events) and each
/// <see cref="Arm"/> re-arms with <c>EPOLL_CTL_MOD</c>. The contract's interest is one-shot per
/// direction, while <c>EPOLLONESHOT</c> disarms every direction at once, so the poller keeps the
/// armed directions of each registration: <see cref="Arm"/> adds to them (arming Write never drops
/// an armed Read), and <see cref="Wait"/> removes the reported ones and re-arms any that remain.
/// <c>EPOLLRDHUP</c> is requested only with Read, so a half-close cannot use up an arm meant for Write.
/// In this mode the epoll user data is the descriptor, which finds the bookkeeping in
/// <see cref="Arm"/>, <see cref="Wait"/> and <see cref="Unregister"/> alike; events still carry the token.
/// </para>
/// <para>
/// Translation: <c>EPOLLIN</c>, <c>EPOLLRDHUP</c>, <c>EPOLLHUP</c> and <c>EPOLLERR</c> report
/// <see cref="IoReadiness.Read"/>; <c>EPOLLOUT</c>, <c>EPOLLHUP</c> and <c>EPOLLERR</c> report
/// <see cref="IoReadiness.Write"/>. The next call on the socket reveals the condition.
/// </para>
/// <para>
/// Threads: <see cref="Register"/>, <see cref="Arm"/> and <see cref="Wake"/> are safe from any
/// thread (epoll_ctl is thread-safe, and per-registration state is locked); <see cref="Wait"/>,
/// <see cref="Unregister"/> and <see cref="Dispose"/> belong to the loop thread.
/// </para>
/// </remarks>
internal sealed unsafe class EpollPoller : IPoller
{
    /// <summary>The token of the wake-up eventfd; <see cref="Register"/> refuses it.</summary>
    internal const ulong WakeToken = ulong.MaxValue;

    private const uint EdgeTriggeredEvents =
        EpollInterop.EPOLLIN | EpollInterop.EPOLLOUT | EpollInterop.EPOLLRDHUP | EpollInterop.EPOLLET;

    private const uint ReadEvents = EpollInterop.EPOLLIN | EpollInterop.EPOLLRDHUP | EpollInterop.EPOLLHUP | EpollInterop.EPOLLERR;
    private const uint WriteEvents = EpollInterop.EPOLLOUT | EpollInterop.EPOLLHUP | EpollInterop.EPOLLERR;

    private readonly bool _edgeTriggered;
    private readonly int _epollFd;
    private readonly int _wakeFd;

    // Level-triggered mode only: descriptor -> token and armed directions. Read by Wait for every event.
    private readonly ConcurrentDictionary<int, Registration>? _registrations;

    private byte* _eventBuffer;
    private int _eventCapacity;
    private int _wakePending;
    private int _disposed;

    /// <summary>Creates the epoll instance and its wake-up eventfd.</summary>
    /// <param name="edgeTriggered">True for <c>EPOLLET</c> registrations; false for one-shot level-triggered arming.</param>
    /// <exception cref="SocketException">when the kernel refuses either descriptor (descriptor limit).</exception>
    public EpollPoller(bool edgeTriggered)
    {
        _edgeTriggered = edgeTriggered;
        _registrations = edgeTriggered ? null : new ConcurrentDictionary<int, Registration>();

        _epollFd = EpollInterop.EpollCreate1(EpollInterop.EPOLL_CLOEXEC);
        if (_epollFd < 0)
        {
            throw LastException();
        }

        _wakeFd = EpollInterop.EventFd(0, EpollInterop.EFD_NONBLOCK | EpollInterop.EFD_CLOEXEC);
        if (_wakeFd < 0)
        {
            var error = LastException();
            EpollInterop.Close(_epollFd);
            throw error;
        }

        // Level-triggered and never one-shot: a wake written while the loop is busy is seen by the next Wait.
        if (EpollInterop.Control(_epollFd, EpollInterop.EPOLL_CTL_ADD, _wakeFd, EpollInterop.EPOLLIN, WakeToken) != 0)
        {
            var error = LastException();
            EpollInterop.Close(_wakeFd);
            EpollInterop.Close(_epollFd);
            throw error;
        }
    }

    /// <summary>Releases the descriptors and the event buffer if the owner forgot to dispose.</summary>
    ~EpollPoller()
    {
        Release();
    }

    /// <summary>True when registrations are edge-triggered (<see cref="Arm"/> is then a no-op).</summary>
    public bool EdgeTriggered => _edgeTriggered;

    /// <summary>
    /// Adds a <see cref="NativeSocket"/> under <paramref name="token"/> (edge-triggered: for all
    /// edges from now on; level-triggered: disarmed until <see cref="Arm"/>). Thread-safe.
    /// </summary>
    /// <exception cref="ArgumentException">when the socket is not a <see cref="NativeSocket"/> or the token is <see cref="WakeToken"/>.</exception>
    /// <exception cref="SocketException">when epoll refuses the descriptor (for example <c>max_user_watches</c>).</exception>
    /// <exception cref="ObjectDisposedException">after <see cref="Dispose"/>.</exception>
    public void Register(LoopSocket socket, ulong token)
    {
        var native = AsNative(socket);
        if (token == WakeToken)
        {
            throw new ArgumentException($"Token {WakeToken} is reserved for the poller's wake-up descriptor.", nameof(token));
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_edgeTriggered)
        {
            Control(EpollInterop.EPOLL_CTL_ADD, native.Fd, EdgeTriggeredEvents, token);
            return;
        }

        // Replaces any entry left by a socket that was closed without Unregister: closing removed
        // that descriptor from the epoll set, so its bookkeeping is stale.
        var registration = new Registration(native.Fd, token);
        _registrations![native.Fd] = registration;
        try
        {
            // EPOLLONESHOT with no events: disarmed, apart from at most one EPOLLHUP/EPOLLERR that
            // the kernel always reports; the loop keeps such an unarmed event until the next arm.
            Control(EpollInterop.EPOLL_CTL_ADD, native.Fd, EpollInterop.EPOLLONESHOT, (ulong)native.Fd);
        }
        catch
        {
            _registrations.TryRemove(new KeyValuePair<int, Registration>(native.Fd, registration));
            throw;
        }
    }

    /// <summary>
    /// Level-triggered: adds <paramref name="interest"/> to the socket's armed directions and
    /// re-arms it with <c>EPOLL_CTL_MOD</c>; each armed direction is reported once. Edge-triggered:
    /// no-op. Thread-safe, including concurrently with <see cref="Wait"/>. Arming a socket that is
    /// no longer registered is ignored (it raced with its own close).
    /// </summary>
    /// <exception cref="SocketException">when epoll refuses the change for any reason other than a concurrent unregister.</exception>
    public void Arm(LoopSocket socket, ulong token, IoReadiness interest)
    {
        if (_edgeTriggered || interest == IoReadiness.None)
        {
            return;
        }

        var native = AsNative(socket);
        if (!_registrations!.TryGetValue(native.Fd, out var registration))
        {
            return;
        }

        lock (registration)
        {
            // A different token means the descriptor number was reused by a newer registration.
            if (registration.Removed || registration.Token != token)
            {
                return;
            }

            registration.Armed |= interest;
            Rearm(registration);
        }
    }

    /// <summary>
    /// Removes the socket with <c>EPOLL_CTL_DEL</c> (and, level-triggered, its armed state). Loop
    /// thread only, before the socket is closed. A socket already closed or never registered is
    /// ignored.
    /// </summary>
    public void Unregister(LoopSocket socket)
    {
        var native = AsNative(socket);
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        if (!_edgeTriggered && _registrations!.TryRemove(native.Fd, out var registration))
        {
            lock (registration)
            {
                registration.Removed = true;
            }
        }

        if (native.IsDisposed)
        {
            // Closing already removed the descriptor from the epoll set; its number may belong to another socket now.
            return;
        }

        if (EpollInterop.Control(_epollFd, EpollInterop.EPOLL_CTL_DEL, native.Fd, 0, 0) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is not (Errno.ENOENT or Errno.EBADF))
            {
                throw new SocketException((int)Errno.ToSocketError(errno));
            }
        }
    }

    /// <summary>
    /// Waits with <c>epoll_wait</c> and writes one <see cref="PollerEvent"/> per ready socket into
    /// <paramref name="events"/>; the wake-up descriptor is drained and never reported, so the
    /// result may be 0 after a <see cref="Wake"/>. <c>EINTR</c> is retried with the remaining time.
    /// The native event buffer is allocated on the first call (and grown if a larger span comes),
    /// never per call. Loop thread only.
    /// </summary>
    /// <exception cref="SocketException">when epoll_wait fails for a reason other than a signal.</exception>
    public int Wait(Span<PollerEvent> events, int timeoutMilliseconds)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (events.IsEmpty)
        {
            return 0;
        }

        EnsureCapacity(events.Length);
        long deadline = timeoutMilliseconds > 0 ? Environment.TickCount64 + timeoutMilliseconds : 0;
        int timeout = timeoutMilliseconds;
        int ready;
        while ((ready = EpollInterop.EpollWait(_epollFd, _eventBuffer, events.Length, timeout)) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR)
            {
                throw new SocketException((int)Errno.ToSocketError(errno));
            }

            if (timeoutMilliseconds > 0)
            {
                timeout = (int)Math.Max(0, deadline - Environment.TickCount64);
            }
        }

        int count = 0;
        for (int i = 0; i < ready; i++)
        {
            EpollInterop.ReadEvent(_eventBuffer, i, out uint mask, out ulong data);
            if (data == WakeToken)
            {
                DrainWake();
                continue;
            }

            var readiness = Translate(mask);
            if (_edgeTriggered)
            {
                events[count++] = new PollerEvent(data, readiness);
            }
            else if (Disarmed((int)data, readiness, out ulong token))
            {
                events[count++] = new PollerEvent(token, readiness);
            }
        }

        return count;
    }

    /// <summary>
    /// Makes the current or next <see cref="Wait"/> return by writing to the eventfd. Thread-safe;
    /// concurrent calls between two waits write at most once.
    /// </summary>
    public void Wake()
    {
        if (Interlocked.Exchange(ref _wakePending, 1) != 0 || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        ulong one = 1;

        // EAGAIN (counter at its maximum) still leaves the eventfd readable, so every failure is harmless.
        EpollInterop.Write(_wakeFd, &one, sizeof(ulong));
    }

    /// <summary>Closes the epoll descriptor and the eventfd and frees the event buffer. Loop thread only; idempotent.</summary>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private static NativeSocket AsNative(LoopSocket socket) =>
        socket as NativeSocket
        ?? throw new ArgumentException($"EpollPoller accepts only sockets opened by the epoll backend, not {socket?.GetType().Name ?? "null"}.", nameof(socket));

    private static IoReadiness Translate(uint mask)
    {
        var readiness = IoReadiness.None;
        if ((mask & ReadEvents) != 0)
        {
            readiness |= IoReadiness.Read;
        }

        if ((mask & WriteEvents) != 0)
        {
            readiness |= IoReadiness.Write;
        }

        // A hint, not a direction: the peer closed (or an error is pending), so a reader must
        // read to the end rather than stop at a short read (edge-triggered mode gives no more edges).
        if ((mask & (EpollInterop.EPOLLRDHUP | EpollInterop.EPOLLHUP | EpollInterop.EPOLLERR)) != 0)
        {
            readiness |= IoReadiness.HangUp;
        }

        return readiness;
    }

    private static uint ToEpollEvents(IoReadiness interest)
    {
        uint events = EpollInterop.EPOLLONESHOT;
        if ((interest & IoReadiness.Read) != 0)
        {
            events |= EpollInterop.EPOLLIN | EpollInterop.EPOLLRDHUP;
        }

        if ((interest & IoReadiness.Write) != 0)
        {
            events |= EpollInterop.EPOLLOUT;
        }

        return events;
    }

    private static SocketException LastException() =>
        new((int)Errno.ToSocketError(Marshal.GetLastPInvokeError()));

    // The kernel disarmed the whole one-shot registration when it reported this event: forget the
    // reported directions and re-arm the rest. An Arm that ran after the kernel's report but before
    // this point only causes a spurious (filtered) event later, never a lost one.
    // Returns false (drop the event) when the descriptor is no longer registered.
    private bool Disarmed(int fd, IoReadiness reported, out ulong token)
    {
        token = 0;
        if (!_registrations!.TryGetValue(fd, out var registration))
        {
            return false;
        }

        lock (registration)
        {
            if (registration.Removed)
            {
                return false;
            }

            token = registration.Token;
            registration.Armed &= ~reported;
            if (registration.Armed != IoReadiness.None)
            {
                Rearm(registration);
            }

            return true;
        }
    }

    private void Rearm(Registration registration)
    {
        if (EpollInterop.Control(_epollFd, EpollInterop.EPOLL_CTL_MOD, registration.Fd, ToEpollEvents(registration.Armed), (ulong)registration.Fd) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();

            // ENOENT/EBADF: the socket was closed (and so left the epoll set) under a racing arm.
            if (errno is not (Errno.ENOENT or Errno.EBADF))
            {
                throw new SocketException((int)Errno.ToSocketError(errno));
            }
        }
    }

    private void Control(int op, int fd, uint events, ulong token)
    {
        if (EpollInterop.Control(_epollFd, op, fd, events, token) != 0)
        {
            throw LastException();
        }
    }

    private void DrainWake()
    {
        // Drain first, then clear the flag: a Wake between the two is skipped, which is safe because
        // the loop runs its task queue after this Wait returns. The reverse order could leave the
        // flag set with an empty counter, and every later Wake would be swallowed.
        ulong counter;
        while (EpollInterop.Read(_wakeFd, &counter, sizeof(ulong)) < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
        {
        }

        Volatile.Write(ref _wakePending, 0);
    }

    private void EnsureCapacity(int capacity)
    {
        if (capacity <= _eventCapacity)
        {
            return;
        }

        NativeMemory.Free(_eventBuffer);
        _eventBuffer = null;
        _eventBuffer = (byte*)NativeMemory.Alloc((nuint)capacity, (nuint)EpollInterop.EventSize);
        _eventCapacity = capacity;
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        EpollInterop.Close(_wakeFd);
        EpollInterop.Close(_epollFd);
        NativeMemory.Free(_eventBuffer);
        _eventBuffer = null;
        _eventCapacity = 0;
    }

    /// <summary>Level-triggered bookkeeping of one registered socket; guarded by locking the instance.</summary>
    private sealed class Registration
    {
        public Registration(int fd, ulong token)
        {
            Fd = fd;
            Token = token;
        }

        /// <summary>The socket's descriptor, also the epoll user data in this mode.</summary>
        public int Fd { get; }

        /// <summary>The token reported in this socket's events.</summary>
        public ulong Token { get; }

        /// <summary>Directions armed and not yet reported.</summary>
        public IoReadiness Armed { get; set; }

        /// <summary>Set by <see cref="EpollPoller.Unregister"/>; later arms are ignored.</summary>
        public bool Removed { get; set; }
    }
}
