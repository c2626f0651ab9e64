namespace Epsilon.Actors.Io.EventLoops;

/// <summary>
/// The directions in which a socket can become ready. Errors and hang-ups are not separate
/// flags: a backend reports them as <see cref="Read"/> and/or <see cref="Write"/> readiness, and
/// the next non-blocking call on the socket reveals the condition (as POSIX readiness APIs do).
/// </summary>
[Flags]
internal enum IoReadiness
{
    /// <summary>No readiness.</summary>
    None = 0,

    /// <summary>Data (or end of stream, or an error) can be read; on a listener, a connection can be accepted.</summary>
    Read = 1,

    /// <summary>The send buffer has room (or an error is pending); after a pending connect, the connect has finished.</summary>
    Write = 2,

    /// <summary>Both directions.</summary>
    ReadWrite = Read | Write,

    /// <summary>
    /// A hint that may accompany <see cref="Read"/>: the peer hung up or an error is pending. Set by
    /// edge-triggered backends; it tells a reader that a short read does not mean "nothing more
    /// will come" (the end of stream is still to be read). Never armed.
    /// </summary>
    HangUp = 4,
}
