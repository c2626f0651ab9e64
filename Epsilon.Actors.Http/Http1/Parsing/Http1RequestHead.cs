namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>
/// What the server needs to know about a request once its header section is complete: the
/// framing decided by RFC 9112 §6.3 and the headers that steer the connection. Immutable; passed
/// to <see cref="IHttp1RequestHandler.OnHeadersComplete"/> and to
/// <see cref="Http1ServerStateMachine.OnRequestHead"/>.
/// </summary>
internal readonly record struct Http1RequestHead(
    Http1Method Method,
    Http1Version Version,
    Http1RequestTargetForm TargetForm,
    Http1BodyFraming Framing,
    long ContentLength,
    Http1ConnectionOptions Connection,
    Http1Expectation Expect,
    bool HasUpgradeHeader)
{
    /// <summary>
    /// Whether the client wants the connection kept after this exchange (RFC 9112 §9.3):
    /// HTTP/1.1 unless <c>Connection: close</c>; HTTP/1.0 only with <c>Connection: keep-alive</c>
    /// and without <c>close</c>.
    /// </summary>
    public bool ClientWantsKeepAlive => (Connection & Http1ConnectionOptions.Close) == 0
        && (Version == Http1Version.Http11 || (Connection & Http1ConnectionOptions.KeepAlive) != 0);

    /// <summary>Whether a body follows the header section (a <c>Content-Length: 0</c> body counts as none).</summary>
    public bool HasBody => Framing == Http1BodyFraming.Chunked || (Framing == Http1BodyFraming.ContentLength && ContentLength > 0);

    /// <summary>Whether the client asks to switch protocols: an <c>Upgrade</c> header named by <c>Connection: upgrade</c> (RFC 9110 §7.8).</summary>
    public bool RequestsUpgrade => HasUpgradeHeader && (Connection & Http1ConnectionOptions.Upgrade) != 0;
}
