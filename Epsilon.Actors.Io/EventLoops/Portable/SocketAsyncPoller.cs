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

    // 1 from a Wake (or Post) until a Wait consumes the semaphore release it made: at most one
    // release is outstanding, so any number of wakes between two waits coalesce into one.
    private int _wakePending;
    private int _disposed;

    /// <inheritdoc />
    public void Register(LoopSocket socket, ulong token) => AsManaged(socket).Attach(this, token);

    /// <inheritdoc />
    public void Arm(LoopSocket socket, ulong token, IoReadiness interest) => AsManaged(socket).Arm(interest);

    /// <inheritdoc />
    public void Unregister(LoopSocket socket) => AsManaged(socket).Detach();

    /// <summary>
    /// Returns the queued events, or blocks until one is posted, <see cref="Wake"/> is called (before
    /// or during this call) or the timeout passes. A wake is consumed by the first Wait that sees it.
    /// </summary>
    public int Wait(Span<PollerEvent> events, int timeoutMilliseconds)
    {
        var n = Drain(events);
        if (n > 0 || timeoutMilliseconds == 0)
        {
            // A wake already released is consumed here; one still being released is seen next time.
            if (_signal.Wait(0)) Volatile.Write(ref _wakePending, 0);
            return n;
        }

        // Consume the release first, then clear the flag (as the epoll poller drains its eventfd):
        // a Wake between the two is skipped, which is safe because its events are drained below and
        // the loop runs its task queue after this returns. On a timeout the flag is left alone, so a
        // release still in progress is consumed by the next Wait instead of piling up.
        if (_signal.Wait(timeoutMilliseconds)) Volatile.Write(ref _wakePending, 0);
        return Drain(events);
    }

    /// <summary>Makes a blocked or the next <see cref="Wait"/> return promptly. Thread-safe; wakes coalesce.</summary>
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
