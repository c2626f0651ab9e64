using System.Diagnostics.CodeAnalysis;

namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>
/// The one exception the HTTP/1 parsers throw for bad input. It carries the wire answer: the
/// server shell answers with <see cref="StatusCode"/> and <c>Connection: close</c>, logs the
/// <see cref="Reason"/> at debug, and closes (RFC 9112 §6.3: a framing error leaves the stream
/// unsynchronised, so the connection is never reused). After it the parser must not be fed again.
/// </summary>
internal sealed class Http1Rejection : Exception, Server.IRequestRejection
{
    /// <summary>Creates a rejection; prefer <see cref="Throw(Http1RejectionReason)"/>.</summary>
    public Http1Rejection(Http1RejectionReason reason, string? detail = null)
        : base(detail is null ? $"{reason} ({StatusCodeOf(reason)})" : $"{reason} ({StatusCodeOf(reason)}): {detail}")
    {
        Reason = reason;
        StatusCode = StatusCodeOf(reason);
    }

    /// <summary>Why the message was rejected.</summary>
    public Http1RejectionReason Reason { get; }

    /// <summary>The status to answer with: 400, 413, 414, 431, 501 or 505.</summary>
    public int StatusCode { get; }

    /// <summary>The status code of each reason (the only place this mapping lives).</summary>
    public static int StatusCodeOf(Http1RejectionReason reason) => reason switch
    {
        Http1RejectionReason.RequestLineTooLong => 414,
        Http1RejectionReason.HeadersTooLarge or Http1RejectionReason.TooManyHeaders or Http1RejectionReason.TrailersTooLarge => 431,
        Http1RejectionReason.BodyTooLarge => 413,
        Http1RejectionReason.UnsupportedTransferCoding => 501,
        Http1RejectionReason.UnsupportedHttpVersion => 505,
        Http1RejectionReason.InvalidStatusLine => 502,
        _ => 400,
    };

    /// <summary>Throws a rejection; kept out of line so the parsers' hot paths stay small.</summary>
    [DoesNotReturn]
    public static void Throw(Http1RejectionReason reason) => throw new Http1Rejection(reason);

    /// <summary>Throws a rejection with a detail for the debug log (never echoed to the peer).</summary>
    [DoesNotReturn]
    public static void Throw(Http1RejectionReason reason, string detail) => throw new Http1Rejection(reason, detail);
}
