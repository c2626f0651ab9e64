namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>
/// Why a message was rejected. Each reason has one status code, given by
/// <see cref="Http1Rejection.StatusCodeOf"/>; the RFC section that demands the rejection is on
/// the check in <see cref="Http1Compliance"/>.
/// </summary>
internal enum Http1RejectionReason : byte
{
    /// <summary>400: the request line is not <c>method SP target SP version</c>.</summary>
    InvalidRequestLine,

    /// <summary>400: the request target has a byte outside printable ASCII, or a form its method does not allow.</summary>
    InvalidRequestTarget,

    /// <summary>505: a well-formed version other than HTTP/1.0 and HTTP/1.1.</summary>
    UnsupportedHttpVersion,

    /// <summary>414: the request line is longer than <c>max-request-line-size</c>.</summary>
    RequestLineTooLong,

    /// <summary>400: a line ends in LF without CR, or a CR is not followed by LF.</summary>
    InvalidLineTerminator,

    /// <summary>400: a header line without a colon, or with an empty or non-token name.</summary>
    InvalidHeaderName,

    /// <summary>400: whitespace between a header name and its colon.</summary>
    WhitespaceBeforeColon,

    /// <summary>400: a header line begins with whitespace (obsolete line folding, or whitespace after the start line).</summary>
    ObsoleteLineFolding,

    /// <summary>400: a header value holds a control character (CR, LF, NUL, …) other than HTAB.</summary>
    InvalidHeaderValue,

    /// <summary>431: header field lines past <c>max-request-headers-total-size</c>.</summary>
    HeadersTooLarge,

    /// <summary>431: more header fields than <c>max-request-header-count</c>.</summary>
    TooManyHeaders,

    /// <summary>400: an HTTP/1.1 request without Host, with two Host fields, or with an invalid Host value.</summary>
    InvalidHost,

    /// <summary>400: a Content-Length that is not a decimal number of at most 18 digits.</summary>
    InvalidContentLength,

    /// <summary>400: Content-Length values that differ.</summary>
    ConflictingContentLength,

    /// <summary>400: both Transfer-Encoding and Content-Length.</summary>
    ContentLengthWithTransferEncoding,

    /// <summary>400: Transfer-Encoding whose final coding is not chunked, or chunked applied twice, or a malformed coding.</summary>
    InvalidTransferEncoding,

    /// <summary>400: Transfer-Encoding in an HTTP/1.0 request.</summary>
    TransferEncodingInHttp10,

    /// <summary>501: a transfer coding other than chunked.</summary>
    UnsupportedTransferCoding,

    /// <summary>413: a body larger than <c>max-request-body-size</c>.</summary>
    BodyTooLarge,

    /// <summary>400: a chunk size that is not hexadecimal, is empty, or is followed by something other than extensions.</summary>
    InvalidChunkSize,

    /// <summary>400: a chunk size that does not fit in 63 bits.</summary>
    ChunkSizeOverflow,

    /// <summary>400: chunk extensions of one body past <c>max-chunk-extension-size</c>, or an extension with control characters.</summary>
    InvalidChunkExtension,

    /// <summary>400: chunk data not followed by CRLF.</summary>
    InvalidChunkTerminator,

    /// <summary>431: trailer field lines past the header limits.</summary>
    TrailersTooLarge,

    /// <summary>502-like parse failure of a response (client side): the status line is malformed.</summary>
    InvalidStatusLine,
}
