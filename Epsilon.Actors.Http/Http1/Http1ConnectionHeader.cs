namespace Epsilon.Actors.Http.Http1;

/// <summary>The <c>Connection</c> header the server adds to a response (RFC 9112 §9.3, §9.6).</summary>
internal enum Http1ConnectionHeader : byte
{
    /// <summary>None (HTTP/1.1 persistence is the default).</summary>
    None,

    /// <summary><c>Connection: close</c>: the server closes after this response.</summary>
    Close,

    /// <summary><c>Connection: keep-alive</c>: an HTTP/1.0 client asked to keep the connection and will.</summary>
    KeepAlive,

    /// <summary><c>Connection: Upgrade</c>: a 101 Switching Protocols (RFC 9110 §7.8).</summary>
    Upgrade,
}
