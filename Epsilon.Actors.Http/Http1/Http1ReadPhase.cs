namespace Epsilon.Actors.Http.Http1;

/// <summary>What the reading side of an HTTP/1 server connection is doing, per <see cref="Http1ServerStateMachine"/>.</summary>
internal enum Http1ReadPhase : byte
{
    /// <summary>Waiting for the first byte of the next request (keep-alive timeout when no response is pending).</summary>
    Idle,

    /// <summary>Bytes of a request head have arrived; the head is not complete (request-headers timeout).</summary>
    Head,

    /// <summary>A request body is being read (minimum data rate).</summary>
    Body,

    /// <summary>No further request will be read: a rejection, <c>Connection: close</c>, an upgrade, end of input or shutdown.</summary>
    Stopped,
}
