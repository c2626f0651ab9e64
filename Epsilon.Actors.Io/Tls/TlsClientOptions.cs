using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Epsilon.Actors.Io.Tls;

/// <summary>
/// How a client connects: the host it expects (sent as SNI and checked against the server's
/// certificate), the trust anchors, ALPN, an optional client certificate and the security policy.
/// Immutable and thread-safe; share one instance across connections to the same host, because
/// .NET resumes TLS sessions for connections made with the same options.
/// </summary>
public sealed record TlsClientOptions
{
    private readonly Lazy<SslClientAuthenticationOptions> _built;

    /// <summary>Options for <paramref name="targetHost"/>, trusting the system's root store.</summary>
    /// <param name="targetHost">The server's host name (sent as SNI unless it is an IP address, and matched against the certificate).</param>
    public TlsClientOptions(string targetHost)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetHost);
        TargetHost = targetHost;
        _built = new Lazy<SslClientAuthenticationOptions>(Build);
    }

    /// <summary>Copies <paramref name="original"/> (used by <c>with</c>); the copy builds its own .NET options.</summary>
    private TlsClientOptions(TlsClientOptions original)
    {
        TargetHost = original.TargetHost;
        ApplicationProtocols = original.ApplicationProtocols;
        TrustedRoots = original.TrustedRoots;
        ClientCertificate = original.ClientCertificate;
        CertificateValidator = original.CertificateValidator;
        Settings = original.Settings;
        _built = new Lazy<SslClientAuthenticationOptions>(Build);
    }

    /// <summary>The server's host name: SNI, and the name its certificate must carry.</summary>
    public string TargetHost { get; init; }

    /// <summary>ALPN protocols offered, in preference order (such as <c>h2</c>, <c>http/1.1</c>). Defaults to none (no ALPN extension).</summary>
    public IReadOnlyList<string> ApplicationProtocols { get; init; } = [];

    /// <summary>
    /// Trust anchors replacing the system's root store (for a private CA); null trusts the system
    /// store. Defaults to null.
    /// </summary>
    public X509Certificate2Collection? TrustedRoots { get; init; }

    /// <summary>The certificate (with key) sent when the server asks for one. Defaults to none.</summary>
    public TlsCertificate? ClientCertificate { get; init; }

    /// <summary>
    /// Called after .NET has validated the server's certificate, with the errors it found; returns
    /// whether to accept it. Null accepts exactly the certificates without errors. Called on a
    /// thread-pool thread; must be thread-safe. Defaults to null.
    /// </summary>
    public RemoteCertificateValidationCallback? CertificateValidator { get; init; }

    /// <summary>Versions, cipher suites, timeouts. Defaults to <see cref="TlsSettings.Default"/>.</summary>
    public TlsSettings Settings { get; init; } = TlsSettings.Default;

    /// <summary>The .NET options, built once per instance so that .NET can resume sessions.</summary>
    internal SslClientAuthenticationOptions SslOptions => _built.Value;

    private SslClientAuthenticationOptions Build()
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = TargetHost,
            EnabledSslProtocols = Settings.EnabledProtocols,
            AllowRenegotiation = false,
            ApplicationProtocols = ApplicationProtocols.Count == 0 ? null : ApplicationProtocols.Select(p => new SslApplicationProtocol(p)).ToList(),
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                TlsCertificateCheck.Validate(sender, certificate, chain, errors, isServer: false, TlsClientCertificateMode.Required, CertificateValidator),
        };
        if (OperatingSystem.IsLinux() && TlsCipherPolicy.For(Settings) is { } policy) options.CipherSuitesPolicy = policy;
        // No LocalCertificateSelectionCallback, ever: .NET then stops caching the TLS context, so
        // sessions are no longer resumed.
        if (ClientCertificate is { } mine) options.ClientCertificateContext = mine.Context(ocspStapling: false);
        if (TrustedRoots is { } roots) options.CertificateChainPolicy = TlsCertificateCheck.CustomTrust(roots);
        return options;
    }

    /// <summary>Equality by value of every option (the built .NET options are not compared).</summary>
    public bool Equals(TlsClientOptions? other) =>
        other is not null && TargetHost == other.TargetHost && ApplicationProtocols.SequenceEqual(other.ApplicationProtocols)
        && ReferenceEquals(TrustedRoots, other.TrustedRoots) && ReferenceEquals(ClientCertificate, other.ClientCertificate)
        && Equals(CertificateValidator, other.CertificateValidator) && Settings.Equals(other.Settings);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(TargetHost, ApplicationProtocols.Count, Settings);
}
