namespace Epsilon.Actors.Http.Http2;

/// <summary>The stream states of RFC 9113 §5.1 that a stream in the table can be in (idle and closed streams are not kept).</summary>
internal enum Http2StreamState
{
    /// <summary>Both sides may send frames.</summary>
    Open,

    /// <summary>The peer has ended its side (END_STREAM received); this side may still send.</summary>
    HalfClosedRemote,

    /// <summary>This side has ended (END_STREAM sent); the peer may still send.</summary>
    HalfClosedLocal,

    /// <summary>A stream this side promised with PUSH_PROMISE and has not started yet.</summary>
    ReservedLocal,
}
