namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>
/// Receives a response from <see cref="Http1ResponseParser"/> (client side): the status line,
/// each header field, the head's summary, then the body through <see cref="IHttp1BodyHandler"/>.
/// Spans are valid only during the call.
/// </summary>
internal interface IHttp1ResponseHandler : IHttp1BodyHandler
{
    /// <summary>The status line: version, a three-digit code, and the reason phrase (which clients should ignore).</summary>
    void OnStatusLine(Http1Version version, int statusCode, ReadOnlySpan<byte> reasonPhrase);

    /// <summary>One header field, name as sent and value trimmed of whitespace.</summary>
    void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);

    /// <summary>The header section is complete; <paramref name="head"/> carries the framing decision.</summary>
    void OnHeadersComplete(in Http1ResponseHead head);
}
