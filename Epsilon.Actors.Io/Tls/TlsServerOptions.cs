using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Epsilon.Actors.Io.Tls;

/// <summary>
/// How a server accepts: its certificates (chosen by the client's SNI), ALPN, client-certificate
/// policy and the security policy. Immutable and thread-safe; share one instance across
/// connections, because .NET keeps one TLS context (session cache, stapled OCSP response) per
/// certificate.
/// </summary>
public sealed record TlsServerOptions
{
    private readonly IReadOnlyList<TlsCertificate> _certificates = [];
    private readonly object _lock;
    private SslServerAuthenticationOptions?[]? _built;

    /// <summary>Options serving <paramref name="certificates"/>; the first is used when SNI matches none.</summary>
    /// <exception cref="ArgumentException">no certificate is given.</exception>
    public TlsServerOptions(params TlsCertificate[] certificates)
    {
        _lock = new object();
        Certificates = certificates;
    }

    /// <summary>Copies <paramref name="original"/> (used by <c>with</c>); the copy builds its own .NET options.</summary>
    private TlsServerOptions(TlsServerOptions original)
    {
        _lock = new object();
        _certificates = original._certificates;
        ApplicationProtocols = original.ApplicationProtocols;
        ClientCertificateMode = original.ClientCertificateMode;
        ClientCertificateTrustedRoots = original.ClientCertificateTrustedRoots;
        ClientCertificateValidator = original.ClientCertificateValidator;
        Settings = original.Settings;
    }

    /// <summary>
    /// The server's certificates. The one whose <see cref="TlsCertificate.HostNames"/> match the
    /// client's SNI is used; the first when none matches or the client sent no SNI. At least one.
    /// </summary>
    public IReadOnlyList<TlsCertificate> Certificates
    {
        get => _certificates;
        init => _certificates = value is { Count: > 0 } ? value : throw new ArgumentException("a TLS server needs at least one certificate", nameof(Certificates));
    }

    /// <summary>
    /// ALPN protocols accepted, in the server's preference order; the first one the client also
    /// offers is chosen. Defaults to none (ALPN ignored).
    /// </summary>
    public IReadOnlyList<string> ApplicationProtocols { get; init; } = [];

    /// <summary>Whether clients are asked for a certificate. Defaults to <see cref="TlsClientCertificateMode.None"/>.</summary>
    public TlsClientCertificateMode ClientCertificateMode { get; init; }

    /// <summary>Trust anchors for client certificates (a private CA); null uses the system's root store. Defaults to null.</summary>
    public X509Certificate2Collection? ClientCertificateTrustedRoots { get; init; }

    /// <summary>
    /// Called after .NET has validated a client certificate, with the errors it found; returns
    /// whether to accept it. Not called when the client sent none (the mode decides). Null accepts
    /// exactly the certificates without errors. Called on a thread-pool thread. Defaults to null.
    /// </summary>
    public RemoteCertificateValidationCallback? ClientCertificateValidator { get; init; }

    /// <summary>Versions, cipher suites, handshake timeout, OCSP stapling. Defaults to <see cref="TlsSettings.Default"/>.</summary>
    public TlsSettings Settings { get; init; } = TlsSettings.Default;

    /// <summary>The certificate for <paramref name="serverName"/> (SNI; null or empty when none was sent).</summary>
    public TlsCertificate CertificateFor(string? serverName) => _certificates[IndexFor(serverName)];

    /// <summary>The .NET options for <paramref name="serverName"/>, built once per certificate.</summary>
    internal SslServerAuthenticationOptions SslOptionsFor(string? serverName)
    {
        var index = IndexFor(serverName);
        lock (_lock)
        {
            _built ??= new SslServerAuthenticationOptions?[_certificates.Count];
            return _built[index] ??= Build(_certificates[index]);
        }
    }

    private int IndexFor(string? serverName)
    {
        if (!string.IsNullOrEmpty(serverName))
        {
            for (var i = 0; i < _certificates.Count; i++)
            {
                if (_certificates[i].Serves(serverName)) return i;
            }
        }

        return 0;
    }

    private SslServerAuthenticationOptions Build(TlsCertificate certificate)
    {
        var mode = ClientCertificateMode;
        var validator = ClientCertificateValidator;
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate.Context(Settings.OcspStapling),
            EnabledSslProtocols = Settings.EnabledProtocols,
            AllowRenegotiation = false,
            ClientCertificateRequired = mode != TlsClientCertificateMode.None,
            ApplicationProtocols = ApplicationProtocols.Count == 0 ? null : ApplicationProtocols.Select(p => new SslApplicationProtocol(p)).ToList(),
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (sender, cert, chain, errors) =>
                TlsCertificateCheck.Validate(sender, cert, chain, errors, isServer: true, mode, validator),
        };
        if (OperatingSystem.IsLinux() && TlsCipherPolicy.For(Settings) is { } policy) options.CipherSuitesPolicy = policy;
        if (ClientCertificateTrustedRoots is { } roots) options.CertificateChainPolicy = TlsCertificateCheck.CustomTrust(roots);
        return options;
    }

    /// <summary>Equality by value of every option (the built .NET options are not compared).</summary>
    public bool Equals(TlsServerOptions? other) =>
        other is not null && _certificates.SequenceEqual(other._certificates) && ApplicationProtocols.SequenceEqual(other.ApplicationProtocols)
        && ClientCertificateMode == other.ClientCertificateMode && ReferenceEquals(ClientCertificateTrustedRoots, other.ClientCertificateTrustedRoots)
        && Equals(ClientCertificateValidator, other.ClientCertificateValidator) && Settings.Equals(other.Settings);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_certificates.Count, ApplicationProtocols.Count, ClientCertificateMode, Settings);
}
