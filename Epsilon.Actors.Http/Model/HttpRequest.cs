using System.Net;
using Epsilon.Actors.Http.Connections;

namespace Epsilon.Actors.Http.Model;

/// <summary>
/// An immutable HTTP request. A parser fills it with one constructor call; <see cref="Path"/> and
/// <see cref="Query"/> are slices of <see cref="Target"/> computed on first use (an origin-form
/// target without a query costs no extra string). Routing adds <see cref="RouteValues"/>; the
/// "With…" methods return modified copies. Thread-safe.
/// </summary>
public sealed class HttpRequest
{
    private static readonly IReadOnlyDictionary<string, string> s_noValues = new Dictionary<string, string>();

    private string? _path;
    private string? _query;

    /// <summary>
    /// A request. <paramref name="target"/> is the request-target as sent: origin-form
    /// (<c>/a/b?x=1</c>), absolute-form (<c>http://h/a</c>), authority-form or <c>*</c>.
    /// The server passes the connection (<paramref name="connection"/>) and a token it cancels
    /// when the connection closes. <paramref name="remoteEndPoint"/> is used only when
    /// <paramref name="connection"/> is null (a connection known by its peer's address alone).
    /// </summary>
    public HttpRequest(
        HttpMethod method,
        string target,
        HttpHeaders? headers = null,
        HttpEntity? entity = null,
        HttpProtocol protocol = HttpProtocol.Http11,
        EndPoint? remoteEndPoint = null,
        CancellationToken aborted = default,
        ConnectionInfo? connection = null)
    {
        Method = method ?? throw new ArgumentNullException(nameof(method));
        Target = target ?? throw new ArgumentNullException(nameof(target));
        Headers = headers ?? HttpHeaders.Empty;
        Entity = entity ?? HttpEntity.Empty;
        Protocol = protocol;
        Connection = connection ?? (remoteEndPoint is null ? ConnectionInfo.Unknown : new ConnectionInfo(remoteEndPoint, null, null));
        Aborted = aborted;
        RouteValues = s_noValues;
    }

    private HttpRequest(HttpRequest other)
    {
        Method = other.Method;
        Target = other.Target;
        Headers = other.Headers;
        Entity = other.Entity;
        Protocol = other.Protocol;
        RouteValues = other.RouteValues;
        Connection = other.Connection;
        Aborted = other.Aborted;
        _path = other._path;
        _query = other._query;
    }

    /// <summary>The method; standard methods are the interned <see cref="HttpMethod"/> singletons.</summary>
    public HttpMethod Method { get; private init; }

    /// <summary>The request-target exactly as received.</summary>
    public string Target { get; private init; }

    /// <summary>The header fields in wire order.</summary>
    public HttpHeaders Headers { get; private init; }

    /// <summary>The body; <see cref="HttpEntity.Empty"/> when there is none.</summary>
    public HttpEntity Entity { get; private init; }

    /// <summary>The protocol version the request arrived with.</summary>
    public HttpProtocol Protocol { get; private init; }

    /// <summary>The peer's address when the server knows it; null otherwise. The same as <c>Connection.RemoteEndPoint</c>.</summary>
    public EndPoint? RemoteEndPoint => Connection.RemoteEndPoint;

    /// <summary>
    /// The connection the request arrived on: both addresses and, over HTTPS, the TLS session
    /// (version, cipher suite, SNI host, ALPN protocol, client certificate). One instance per
    /// connection, shared by its requests. <see cref="ConnectionInfo.Unknown"/> when the server
    /// knows nothing of it (a request built by hand; a connection flow over a transport of your
    /// own has no addresses, though its TLS session is known).
    /// </summary>
    public ConnectionInfo Connection { get; private init; }

    /// <summary>
    /// Cancelled when nobody waits for the response any more: the connection closed, or the
    /// request timed out. Handlers pass it to their own I/O. <see cref="CancellationToken.None"/> by default.
    /// </summary>
    public CancellationToken Aborted { get; private init; }

    /// <summary>Named values captured by the matched route (<c>{id}</c>, and <c>*</c> for a trailing wildcard), percent-decoded.</summary>
    public IReadOnlyDictionary<string, string> RouteValues { get; private init; }

    /// <summary>
    /// The path, still percent-encoded (as routing matches it), always starting with <c>/</c>. For
    /// absolute-form the scheme and authority are removed; for <c>*</c> and authority-form it is the target itself.
    /// </summary>
    public string Path => _path ??= ComputePath();

    /// <summary>The query without the leading <c>?</c>, still percent-encoded; empty when there is none.</summary>
    public string Query
    {
        get
        {
            if (_query is null)
            {
                var q = Target.IndexOf('?');
                _query = q < 0 ? "" : Target[(q + 1)..];
            }

            return _query;
        }
    }

    /// <summary>The Host header, or null.</summary>
    public string? Host => Headers.Get(KnownHeader.Host);

    /// <summary>A route value by name, or null when the route captured none.</summary>
    public string? Param(string name) => RouteValues.TryGetValue(name, out var v) ? v : null;

    /// <summary>The first value of a query parameter (decoded, '+' as space), or null.</summary>
    public string? QueryParam(string name)
    {
        foreach (var pair in Query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            if (key == name) return eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
        }

        return null;
    }

    /// <summary>A copy with other headers.</summary>
    public HttpRequest WithHeaders(HttpHeaders headers) => new(this) { Headers = headers ?? throw new ArgumentNullException(nameof(headers)) };

    /// <summary>A copy with another entity.</summary>
    public HttpRequest WithEntity(HttpEntity entity) => new(this) { Entity = entity ?? throw new ArgumentNullException(nameof(entity)) };

    /// <summary>A copy with another method (the router uses it to run a GET route for HEAD).</summary>
    public HttpRequest WithMethod(HttpMethod method) => new(this) { Method = method ?? throw new ArgumentNullException(nameof(method)) };

    /// <summary>A copy with route values set.</summary>
    public HttpRequest WithRouteValues(IReadOnlyDictionary<string, string> values) => new(this) { RouteValues = values ?? s_noValues };

    /// <summary>A copy carrying the peer's address (its <see cref="Connection"/> otherwise unchanged).</summary>
    public HttpRequest WithRemoteEndPoint(EndPoint? remote) => new(this) { Connection = Connection with { RemoteEndPoint = remote } };

    /// <summary>A copy on another connection (a test, or a proxy telling who the client really is).</summary>
    public HttpRequest WithConnection(ConnectionInfo connection) => new(this) { Connection = connection ?? throw new ArgumentNullException(nameof(connection)) };

    /// <summary>A copy with another abort token.</summary>
    public HttpRequest WithAborted(CancellationToken aborted) => new(this) { Aborted = aborted };

    /// <summary>"GET /path".</summary>
    public override string ToString() => $"{Method.Name} {Target}";

    private string ComputePath()
    {
        var target = Target;
        var q = target.IndexOf('?');
        var end = q < 0 ? target.Length : q;
        if (target.StartsWith('/')) return q < 0 ? target : target[..end];
        var scheme = target.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && scheme < end)
        {
            var slash = target.IndexOf('/', scheme + 3);
            return slash < 0 || slash > end ? "/" : target[slash..end];
        }

        return target[..end];
    }
}
