namespace Epsilon.Actors.Http.Http2;

/// <summary>
/// An HTTP/2 error found in what the peer sent (RFC 9113 §5.4): a connection error
/// (<see cref="StreamId"/> 0), answered with GOAWAY and the end of the connection, or a stream
/// error, answered with RST_STREAM on <see cref="StreamId"/> while the connection goes on.
/// </summary>
internal sealed class Http2Exception : Exception
{
    private Http2Exception(Http2ErrorCode code, int streamId, string message)
        : base(message)
    {
        Code = code;
        StreamId = streamId;
    }

    /// <summary>The error code to send.</summary>
    public Http2ErrorCode Code { get; }

    /// <summary>The stream to reset, or 0 for a connection error.</summary>
    public int StreamId { get; }

    /// <summary>Whether the whole connection must end.</summary>
    public bool IsConnectionError => StreamId == 0;

    /// <summary>A connection error (§5.4.1).</summary>
    public static Http2Exception Connection(Http2ErrorCode code, string message) => new(code, 0, message);

    /// <summary>A stream error (§5.4.2) on <paramref name="streamId"/> (not 0).</summary>
    public static Http2Exception Stream(int streamId, Http2ErrorCode code, string message) => new(code, streamId, message);
}
