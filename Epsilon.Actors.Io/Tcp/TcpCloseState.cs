namespace Epsilon.Actors.Io.Tcp;

/// <summary>Where a connection is in its close, as <see cref="TcpCloseStateMachine{TRef}"/> tracks it.</summary>
internal enum TcpCloseState
{
    /// <summary>No close decided: reads and writes go on (the peer may have half-closed, see <see cref="TcpCloseStateMachine{TRef}.PeerClosed"/>).</summary>
    Open,

    /// <summary>A close is decided (<c>Close</c>, <c>ConfirmedClose</c>, or the peer's FIN without keep-open); queued writes are being sent first. New writes are refused.</summary>
    Draining,

    /// <summary><c>ConfirmedClose</c>: our side is shut down (FIN sent); reading goes on until the peer's FIN.</summary>
    AwaitingPeerFin,

    /// <summary>The close event is decided and the socket is closed or reset; the connection stops.</summary>
    Closed,
}
