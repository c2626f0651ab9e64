namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>
/// Receives a request from <see cref="Http1RequestParser"/>: the request line, each header field,
/// the head's summary, then the body through <see cref="IHttp1BodyHandler"/>. Calls come in
/// wire order on the caller's thread. Spans are valid only during the call: copy what you keep.
/// </summary>
internal interface IHttp1RequestHandler : IHttp1BodyHandler
{
    /// <summary>The request line, validated (method token, target form, version).</summary>
    void OnRequestLine(Http1RequestLine line);

    /// <summary>
    /// One header field: a token name as sent (compare case-insensitively) and the value with
    /// surrounding whitespace removed. Every field is passed on, including the ones the parser
    /// also reads itself (Host, Content-Length, Transfer-Encoding, Connection, Expect, Upgrade).
    /// </summary>
    void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);

    /// <summary>The header section is complete and valid; <paramref name="head"/> carries the framing decision.</summary>
    void OnHeadersComplete(in Http1RequestHead head);
}
