namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>How the length of a message body is known (RFC 9112 §6.3).</summary>
internal enum Http1BodyFraming : byte
{
    /// <summary>No body (a request with neither Content-Length nor Transfer-Encoding; HEAD, 1xx, 204 and 304 responses).</summary>
    None,

    /// <summary>Exactly <c>Content-Length</c> bytes follow the header section (§6.3 item 6).</summary>
    ContentLength,

    /// <summary>The chunked transfer coding (§7.1) is the final coding (§6.3 item 4).</summary>
    Chunked,

    /// <summary>A response body that ends when the server closes the connection (§6.3 item 8); never a request.</summary>
    CloseDelimited,
}
