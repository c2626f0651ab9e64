namespace Epsilon.Actors.Io.Tls;

/// <summary>
/// A TLS connection failed: the stream stage fails with it, and the actor adapter puts it in
/// <c>Tcp.CommandFailed.Cause</c> (handshake) or <c>Tcp.ErrorClosed</c> (later). <see cref="Reason"/>
/// says why in a form code can test; the message says it for people, with OpenSSL's own words
/// (the inner exception) where they help.
/// </summary>
public sealed class TlsException : IOException
{
    /// <summary>Creates the exception.</summary>
    public TlsException(TlsFailureReason reason, string message, Exception? inner = null)
        : base($"TLS {Describe(reason)}: {message}", inner)
    {
        Reason = reason;
    }

    /// <summary>Why the connection failed.</summary>
    public TlsFailureReason Reason { get; }

    /// <summary>True when the failure happened during the handshake (no application data was exchanged).</summary>
    public bool DuringHandshake => Reason is not (TlsFailureReason.Truncated or TlsFailureReason.SessionFailed);

    private static string Describe(TlsFailureReason reason) => reason switch
    {
        TlsFailureReason.NotTls => "handshake failed, the peer does not speak TLS",
        TlsFailureReason.CertificateUntrusted => "handshake failed, untrusted certificate",
        TlsFailureReason.CertificateExpired => "handshake failed, expired certificate",
        TlsFailureReason.CertificateNameMismatch => "handshake failed, certificate name mismatch",
        TlsFailureReason.CertificateMissing => "handshake failed, certificate required but missing",
        TlsFailureReason.CertificateRejected => "handshake failed, certificate rejected by the validation callback",
        TlsFailureReason.PeerRejectedCertificate => "handshake failed, the peer rejected our certificate",
        TlsFailureReason.ProtocolVersion => "handshake failed, no shared protocol version",
        TlsFailureReason.NoSharedCipher => "handshake failed, no shared cipher suite",
        TlsFailureReason.NoApplicationProtocol => "handshake failed, no shared ALPN protocol",
        TlsFailureReason.HandshakeTimeout => "handshake timed out",
        TlsFailureReason.PeerClosed => "handshake failed, the peer closed the connection",
        TlsFailureReason.Truncated => "session truncated",
        TlsFailureReason.SessionFailed => "session failed",
        _ => "handshake failed",
    };
}
