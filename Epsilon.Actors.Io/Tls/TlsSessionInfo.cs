using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Epsilon.Actors.Io.Tls;

/// <summary>
/// What a completed handshake negotiated: the stream stage's materialized task gives it, and the
/// actor adapter sends it to the commander just before <c>Tcp.Connected</c>.
/// </summary>
/// <param name="Protocol">The protocol version: <see cref="SslProtocols.Tls12"/> or <see cref="SslProtocols.Tls13"/>.</param>
/// <param name="CipherSuite">The negotiated cipher suite.</param>
/// <param name="ApplicationProtocol">The ALPN protocol both sides chose (<c>h2</c>, <c>http/1.1</c> …), or null when none was negotiated.</param>
/// <param name="ServerName">The host name: the SNI a server received (null when the client sent none), or the host a client asked for.</param>
/// <param name="PeerCertificate">The peer's certificate: the server's for a client; the client's for a server (null when it sent none).</param>
/// <param name="IsServer">True on the server side of the connection.</param>
public sealed record TlsSessionInfo(
    SslProtocols Protocol,
    TlsCipherSuite CipherSuite,
    string? ApplicationProtocol,
    string? ServerName,
    X509Certificate2? PeerCertificate,
    bool IsServer)
{
    /// <summary>The protocol, cipher, ALPN and peer subject (never key material).</summary>
    public override string ToString() =>
        $"{TlsSettings.Name(Protocol)} {CipherSuite}, ALPN {ApplicationProtocol ?? "none"}, server name {ServerName ?? "none"}, peer {PeerCertificate?.Subject ?? "none"}";
}
