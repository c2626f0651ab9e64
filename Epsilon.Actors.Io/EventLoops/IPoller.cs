namespace Epsilon.Actors.Io.EventLoops;

/// <summary>
/// The platform contract of one event loop: register sockets, arm interest, wait for readiness,
/// wake from another thread. One poller is owned by one <see cref="EventLoop"/> thread.
/// </summary>
/// <remarks>
/// Interest is one-shot: <see cref="Arm"/> asks for one notification per armed direction. A
/// backend may deliver events for directions that were not armed (edge-triggered epoll reports
/// every edge); <see cref="EventLoop"/> filters them and remembers them until the next arm, so a
/// readiness edge is never lost.
/// </remarks>
internal interface IPoller : IDisposable
{
    /// <summary>Adds a socket created by this poller's backend. Thread-safe.</summary>
    /// <param name="socket">The socket, of this backend's kind.</param>
    /// <param name="token">The value reported in each <see cref="PollerEvent"/> for this socket.</param>
    void Register(LoopSocket socket, ulong token);

    /// <summary>
    /// Asks for one notification when the socket becomes ready in the given directions. Thread-safe.
    /// </summary>
    void Arm(LoopSocket socket, ulong token, IoReadiness interest);

    /// <summary>Removes a socket. Called on the loop thread only, before the socket is closed.</summary>
    void Unregister(LoopSocket socket);

    /// <summary>
    /// Blocks until at least one event is ready, <paramref name="timeoutMilliseconds"/> passes
    /// (-1: no limit; 0: do not block) or <see cref="Wake"/> is called; fills
    /// <paramref name="events"/> and returns how many were written. Loop thread only.
    /// </summary>
    int Wait(Span<PollerEvent> events, int timeoutMilliseconds);

    /// <summary>Makes a blocked or the next <see cref="Wait"/> return promptly. Thread-safe.</summary>
    void Wake();
}
