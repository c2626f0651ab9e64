using System.Net;
using Epsilon.Actors.Io.Tls;

namespace Epsilon.Actors.Http.Connections;

/// <summary>
/// The connection a request arrived on: its two addresses and, over HTTPS, the negotiated TLS
/// session (version, cipher suite, SNI host name, ALPN protocol, client certificate). The server
/// gives every request of a connection the same instance (<c>request.Connection</c>); routes and
/// middleware read it, for example to log the peer or to authorize by client certificate.
/// Immutable and thread-safe.
/// </summary>
/// <param name="RemoteEndPoint">The peer's address, or null when the server does not know it (a connection flow run over a transport of your own: <c>HttpServerBuilder.ConnectionFlow</c>).</param>
/// <param name="LocalEndPoint">The server's address of this connection (the listener's address, with the real port), or null when unknown as above.</param>
/// <param name="Tls">The TLS session when the connection is HTTPS, else null. Its <see cref="TlsSessionInfo.PeerCertificate"/> is the client's certificate when one was asked for and sent.</param>
public sealed record ConnectionInfo(EndPoint? RemoteEndPoint, EndPoint? LocalEndPoint, TlsSessionInfo? Tls)
{
    /// <summary>Nothing known: no addresses, no TLS (requests built by hand, or a transport that says nothing).</summary>
    public static ConnectionInfo Unknown { get; } = new(null, null, null);

    /// <summary>Whether the connection is TLS (HTTPS): <see cref="Tls"/> is set.</summary>
    public bool IsTls => Tls is not null;

    /// <summary>"127.0.0.1:50123 -> 127.0.0.1:8443, TLS 1.3 …" (never key material).</summary>
    public override string ToString() =>
        $"{RemoteEndPoint?.ToString() ?? "unknown"} -> {LocalEndPoint?.ToString() ?? "unknown"}{(Tls is { } tls ? ", " + tls : ", cleartext")}";
}
