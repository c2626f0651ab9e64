namespace Epsilon.Actors.Io.EventLoops;

/// <summary>
/// One readiness event returned by <see cref="IPoller.Wait"/>: the token the socket was registered
/// with and the directions that became ready.
/// </summary>
/// <remarks>
/// Readiness backends (epoll) report "ready for X"; completion backends (portable) complete an
/// operation internally and then report the same "ready for X", so everything above the poller
/// speaks only readiness (see docs/decisions/0001-poller-event-model.md).
/// </remarks>
internal readonly struct PollerEvent
{
    /// <summary>Creates an event.</summary>
    public PollerEvent(ulong token, IoReadiness readiness)
    {
        Token = token;
        Readiness = readiness;
    }

    /// <summary>The token given to <see cref="IPoller.Register"/>.</summary>
    public ulong Token { get; }

    /// <summary>The directions that became ready.</summary>
    public IoReadiness Readiness { get; }
}
