namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>What a client needs about a response once its header section is complete (RFC 9112 §6.3 framing, §9.3 persistence).</summary>
/// <param name="Version">The response's version.</param>
/// <param name="StatusCode">100–999 as sent.</param>
/// <param name="Framing">How the body ends.</param>
/// <param name="ContentLength">The length for Content-Length framing, else -1.</param>
/// <param name="Connection">The Connection options of the response.</param>
internal readonly record struct Http1ResponseHead(
    Http1Version Version,
    int StatusCode,
    Http1BodyFraming Framing,
    long ContentLength,
    Http1ConnectionOptions Connection)
{
    /// <summary>Whether the connection may carry another request after this response.</summary>
    public bool KeepAlive => Framing != Http1BodyFraming.CloseDelimited && (Connection & Http1ConnectionOptions.Close) == 0
        && (Version == Http1Version.Http11 || (Connection & Http1ConnectionOptions.KeepAlive) != 0);

    /// <summary>Whether this is an interim (1xx) response, after which the final one follows.</summary>
    public bool IsInterim => StatusCode is >= 100 and < 200 && StatusCode != 101;
}
