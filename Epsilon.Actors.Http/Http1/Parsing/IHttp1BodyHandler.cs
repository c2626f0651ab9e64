namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>
/// Receives a message body as it is decoded, for requests and responses alike. Implemented by
/// structs (the parsers are generic over them, so calls are direct and inlinable). Spans are
/// valid only during the call.
/// </summary>
internal interface IHttp1BodyHandler
{
    /// <summary>Some decoded body bytes (chunk framing removed), in order; never empty.</summary>
    void OnBody(ReadOnlySpan<byte> data);

    /// <summary>One trailer field of a chunked body (RFC 9112 §7.1.2), name and value validated like a header's.</summary>
    void OnTrailer(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);
}
