using System.Collections.Concurrent;

namespace Epsilon.Actors.Io.EventLoops.Portable;

/// <summary>
/// The portable poller: .NET's own socket engine does the waiting (epoll, kqueue or IOCP beneath
/// <see cref="System.Net.Sockets.Socket"/>); each <see cref="ManagedSocket"/> turns its completed
/// zero-byte receives, accepts, connects and overflow sends into readiness events posted here.
/// </summary>
internal sealed class SocketAsyncPoller : IPoller
{
    private readonly ConcurrentQueue<PollerEvent> _events = new();
    private readonly SemaphoreSlim _signal = new(0);
    private int _wakePending;
    private int _disposed;

    /// <inheritdoc />
    public void Register(LoopSocket socket, ulong token) => AsManaged(socket).Attach(this, token);

    /// <inheritdoc />
    public void Arm(LoopSocket socket, ulong token, IoReadiness interest) => AsManaged(socket).Arm(interest);

    /// <inheritdoc />
    public void Unregister(LoopSocket socket) => AsManaged(socket).Detach();

    /// <inheritdoc />
    public int Wait(Span<PollerEvent> events, int timeoutMilliseconds)
    {
        var n = Drain(events);
        if (n > 0 || timeoutMilliseconds == 0) return n;
        _signal.Wait(timeoutMilliseconds);
        // Cleared only after the wait consumed the signal and before draining: a Wake from now
        // on releases again, and anything posted before it is drained below.
        Volatile.Write(ref _wakePending, 0);
        return Drain(events);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Like epoll's eventfd, a wake stays pending until a <see cref="Wait"/> consumes it, so a wake
    /// that lands before the loop starts waiting is never lost; repeated wakes coalesce.
    /// </remarks>
    public void Wake()
    {
        if (Interlocked.Exchange(ref _wakePending, 1) == 0 && Volatile.Read(ref _disposed) == 0) _signal.Release();
    }

    /// <summary>Posts readiness from a completion callback (any thread).</summary>
    internal void Post(ulong token, IoReadiness readiness)
    {
        _events.Enqueue(new PollerEvent(token, readiness));
        Wake();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _signal.Release();
    }

    private int Drain(Span<PollerEvent> events)
    {
        var n = 0;
        while (n < events.Length && _events.TryDequeue(out var e)) events[n++] = e;
        return n;
    }

    private static ManagedSocket AsManaged(LoopSocket socket) =>
        socket as ManagedSocket ?? throw new ArgumentException("the portable poller takes only sockets opened by the portable backend", nameof(socket));
}
