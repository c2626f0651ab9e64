namespace Epsilon.Actors.Http.Http2;

/// <summary>What to do with a HEADERS frame's header block. The block is always decoded (HPACK's state is shared by the whole connection); the action says what becomes of the fields.</summary>
internal enum Http2HeadersAction
{
    /// <summary>A new request on a new stream.</summary>
    Request,

    /// <summary>Trailers that end the stream's request body.</summary>
    Trailers,

    /// <summary>Decode and drop; when <see cref="Http2HeadersDecision.ResetCode"/> is set, reset the stream with it.</summary>
    Discard,
}

/// <summary>The state machine's answer to HEADERS.</summary>
/// <param name="Action">What becomes of the block.</param>
/// <param name="ResetCode">For <see cref="Http2HeadersAction.Discard"/>: the RST_STREAM code to send, or null to send nothing.</param>
internal readonly record struct Http2HeadersDecision(Http2HeadersAction Action, Http2ErrorCode? ResetCode = null);

/// <summary>The state machine's answer to DATA.</summary>
/// <param name="Deliver">Whether the data goes to the stream's request body (else it is dropped).</param>
/// <param name="ResetCode">The RST_STREAM code to send for a stream error, or null.</param>
/// <param name="ConnectionCredit">A connection WINDOW_UPDATE increment to send now (for dropped data and padding), or 0.</param>
/// <param name="StreamCredit">A stream WINDOW_UPDATE increment to send now (for padding of a delivered frame), or 0.</param>
/// <param name="EndOfRequestBody">Whether the request body ended with this frame.</param>
internal readonly record struct Http2DataDecision(bool Deliver, Http2ErrorCode? ResetCode, int ConnectionCredit, int StreamCredit, bool EndOfRequestBody);
