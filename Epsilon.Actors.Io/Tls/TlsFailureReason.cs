namespace Epsilon.Actors.Io.Tls;

/// <summary>Why a TLS connection failed; carried by <see cref="TlsException"/>.</summary>
public enum TlsFailureReason
{
    /// <summary>A handshake failure none of the other reasons names; the message carries OpenSSL's words.</summary>
    HandshakeFailed,

    /// <summary>The peer's first bytes are not a TLS record: plaintext (such as HTTP) or random bytes on a TLS port.</summary>
    NotTls,

    /// <summary>The peer's certificate does not chain to a trusted root (system store, or the custom CA given).</summary>
    CertificateUntrusted,

    /// <summary>The peer's certificate (or one in its chain) is expired or not yet valid.</summary>
    CertificateExpired,

    /// <summary>The server's certificate does not name the host the client asked for.</summary>
    CertificateNameMismatch,

    /// <summary>The peer sent no certificate where one is required (a server requiring client certificates).</summary>
    CertificateMissing,

    /// <summary>The certificate validation callback given in the options refused the peer's certificate.</summary>
    CertificateRejected,

    /// <summary>The peer refused our certificate (it sent a certificate alert).</summary>
    PeerRejectedCertificate,

    /// <summary>The two sides share no protocol version (for example a TLS 1.3-only client and a TLS 1.2-only server).</summary>
    ProtocolVersion,

    /// <summary>The two sides share no cipher suite.</summary>
    NoSharedCipher,

    /// <summary>The two sides share no ALPN protocol and the server refused the connection for it.</summary>
    NoApplicationProtocol,

    /// <summary>The handshake took longer than <see cref="TlsSettings.HandshakeTimeout"/>.</summary>
    HandshakeTimeout,

    /// <summary>The peer closed the connection before the handshake finished.</summary>
    PeerClosed,

    /// <summary>The peer closed TCP without a close_notify (see <see cref="TlsSettings.AllowTruncation"/>).</summary>
    Truncated,

    /// <summary>The session failed after the handshake (a bad record, a fatal alert, a refused renegotiation).</summary>
    SessionFailed,
}
