namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>The two protocol versions an HTTP/1 message may carry (RFC 9112 §2.3); any other is answered with 505.</summary>
internal enum Http1Version : byte
{
    /// <summary>HTTP/1.0: connections close after each exchange unless <c>Connection: keep-alive</c>.</summary>
    Http10,

    /// <summary>HTTP/1.1: connections persist unless <c>Connection: close</c>.</summary>
    Http11,
}
