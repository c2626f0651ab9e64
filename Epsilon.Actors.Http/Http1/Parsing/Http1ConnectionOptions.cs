namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>The <c>Connection</c> header options the server acts on (RFC 9110 §7.6.1, RFC 9112 §9.3); other tokens are left to the application.</summary>
[Flags]
internal enum Http1ConnectionOptions : byte
{
    /// <summary>No option the server acts on.</summary>
    None = 0,

    /// <summary><c>close</c>: the connection ends after this exchange.</summary>
    Close = 1,

    /// <summary><c>keep-alive</c>: an HTTP/1.0 client asks for a persistent connection.</summary>
    KeepAlive = 2,

    /// <summary><c>upgrade</c>: the <c>Upgrade</c> header is meant for this hop (RFC 9110 §7.8).</summary>
    Upgrade = 4,
}
