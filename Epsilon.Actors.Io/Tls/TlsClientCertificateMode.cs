namespace Epsilon.Actors.Io.Tls;

/// <summary>Whether a server asks its clients for a certificate.</summary>
public enum TlsClientCertificateMode
{
    /// <summary>No certificate is asked for (the default).</summary>
    None,

    /// <summary>A certificate is asked for; a client without one is accepted, one with an invalid one is refused.</summary>
    Optional,

    /// <summary>A valid certificate is required; a client without one fails with <see cref="TlsFailureReason.CertificateMissing"/>.</summary>
    Required,
}
