namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>
/// The request methods the parser recognises without allocating (RFC 9110 §9 and RFC 5789);
/// any other valid token is <see cref="Custom"/>, and its bytes are in
/// <see cref="Http1RequestLine.MethodToken"/>. Methods are case-sensitive: <c>get</c> is custom.
/// </summary>
internal enum Http1Method : byte
{
    /// <summary>A valid method token that is none of the others.</summary>
    Custom,

    /// <summary>GET (RFC 9110 §9.3.1).</summary>
    Get,

    /// <summary>HEAD (RFC 9110 §9.3.2): the response carries no content.</summary>
    Head,

    /// <summary>POST (RFC 9110 §9.3.3).</summary>
    Post,

    /// <summary>PUT (RFC 9110 §9.3.4).</summary>
    Put,

    /// <summary>DELETE (RFC 9110 §9.3.5).</summary>
    Delete,

    /// <summary>CONNECT (RFC 9110 §9.3.6): target in authority-form.</summary>
    Connect,

    /// <summary>OPTIONS (RFC 9110 §9.3.7): the only method allowed the asterisk-form.</summary>
    Options,

    /// <summary>TRACE (RFC 9110 §9.3.8).</summary>
    Trace,

    /// <summary>PATCH (RFC 5789).</summary>
    Patch,
}
