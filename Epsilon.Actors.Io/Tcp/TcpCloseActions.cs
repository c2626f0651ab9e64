namespace Epsilon.Actors.Io.Tcp;

/// <summary>
/// What a shell must do for one <see cref="TcpCloseDecision"/>, in this order: stop reading,
/// tell the handler <c>PeerClosed</c>, fail the queued writes, shut down or close or reset the
/// transport, send the close event to every recipient, stop, and last start reading until the
/// peer's FIN.
/// </summary>
[Flags]
internal enum TcpCloseActions
{
    /// <summary>Nothing to do.</summary>
    None = 0,

    /// <summary>Read no more (a <c>Close</c>, or the peer's FIN).</summary>
    StopReading = 1,

    /// <summary>Send <c>PeerClosed</c> to the handler only; the connection stays open for writing (keep-open half-close).</summary>
    NotifyPeerClosed = 2,

    /// <summary>Answer every write still queued with <c>CommandFailed</c>.</summary>
    FailPendingWrites = 4,

    /// <summary>Shut down our sending side (<c>shutdown(SHUT_WR)</c>: FIN after the queued bytes); the connection stays.</summary>
    ShutdownOutput = 8,

    /// <summary>Close the socket gracefully (FIN after any unsent bytes).</summary>
    CloseSocket = 16,

    /// <summary>Close the socket with a reset (RST); unsent bytes are lost.</summary>
    ResetSocket = 32,

    /// <summary>Send <see cref="TcpCloseDecision.Event"/> to each of <see cref="TcpCloseStateMachine{TRef}.Recipients"/>.</summary>
    Notify = 64,

    /// <summary>Stop the connection actor.</summary>
    Stop = 128,

    /// <summary>Read (whatever the handler's suspension) until the peer's FIN, which is then reported with <see cref="TcpCloseStateMachine{TRef}.OnPeerClosed"/>.</summary>
    ReadUntilPeerClosed = 256,
}
