namespace Epsilon.Actors.Http.Http2;

/// <summary>HTTP/2 error codes (RFC 9113 §7), carried by RST_STREAM and GOAWAY.</summary>
internal enum Http2ErrorCode : uint
{
    /// <summary>Not an error: a graceful GOAWAY, or a stream the server no longer needs.</summary>
    NoError = 0x0,

    /// <summary>An unspecific protocol error.</summary>
    ProtocolError = 0x1,

    /// <summary>An unexpected internal error.</summary>
    InternalError = 0x2,

    /// <summary>The peer violated the flow-control protocol.</summary>
    FlowControlError = 0x3,

    /// <summary>SETTINGS were not acknowledged in time.</summary>
    SettingsTimeout = 0x4,

    /// <summary>A frame arrived on a half-closed stream.</summary>
    StreamClosed = 0x5,

    /// <summary>A frame had an invalid size.</summary>
    FrameSizeError = 0x6,

    /// <summary>The stream was refused before any processing.</summary>
    RefusedStream = 0x7,

    /// <summary>The stream is no longer needed.</summary>
    Cancel = 0x8,

    /// <summary>The header compression context cannot be maintained.</summary>
    CompressionError = 0x9,

    /// <summary>The connection of a CONNECT request was reset or closed abnormally.</summary>
    ConnectError = 0xa,

    /// <summary>The peer behaves in a way that may generate excessive load.</summary>
    EnhanceYourCalm = 0xb,

    /// <summary>The transport does not meet minimum security requirements (RFC 9113 §9.2).</summary>
    InadequateSecurity = 0xc,

    /// <summary>The request must be made over HTTP/1.1.</summary>
    Http11Required = 0xd,
}
