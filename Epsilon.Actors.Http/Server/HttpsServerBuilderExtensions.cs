using System.Security.Cryptography.X509Certificates;
using Epsilon.Actors.Io;
using Epsilon.Actors.Io.Tls;

namespace Epsilon.Actors.Http.Server;

/// <summary>
/// HTTPS for <see cref="HttpServerBuilder"/>: <c>system.Http().NewServerAt(host, 8443).EnableHttps(options).Bind(handler)</c>.
/// TLS is Epsilon's TLS stage (<see cref="EpsilonTls.Server"/>, .NET's <c>SslStream</c>) inserted
/// with <see cref="HttpServerBuilder.WithTransportLayer"/>, so every accepted connection runs its
/// own handshake before HTTP/1.1 sees a byte.
/// </summary>
/// <remarks>
/// <para>
/// <b>ALPN.</b> The server announces <c>http/1.1</c> and <c>http/1.0</c>, in that order of
/// preference (<see cref="SupportedApplicationProtocols"/>), when the options name none: the
/// HTTP/1.1 stage speaks both, and <c>curl --http1.0</c> offers only <c>http/1.0</c>. A client
/// that offers ALPN with neither (only <c>h2</c>, say) is refused with TLS's <c>no_application_protocol</c> alert rather than answered in the
/// wrong protocol; a client that offers no ALPN at all is served HTTP/1.1. When the HTTP/2 server
/// lands it adds <c>h2</c> to <see cref="SupportedApplicationProtocols"/> and to the default list
/// (server preference <c>h2</c>, then <c>http/1.1</c>), and the protocol switch
/// (<c>Connections/ProtocolSwitchStage</c>) picks the stack from
/// <see cref="TlsSessionInfo.ApplicationProtocol"/>; until then asking for <c>h2</c> is an
/// <see cref="ArgumentException"/>, so no client can negotiate a protocol the server cannot speak.
/// </para>
/// <para>
/// <b>Failures.</b> A failed handshake (plaintext HTTP sent to the HTTPS port, an unknown CA, no
/// shared version or ALPN protocol, a handshake timeout) closes that connection only, after the TLS
/// alert where TLS allows one; HTTP never answers it (no 400 to garbage). The TLS stage logs it at
/// info level with its <see cref="TlsFailureReason"/>. Other connections are not disturbed.
/// </para>
/// <para>
/// <b>The session.</b> Every request of a connection carries its negotiated
/// <see cref="TlsSessionInfo"/> in <c>request.Connection.Tls</c>: version, cipher suite, the SNI
/// host name, the ALPN protocol and the client's certificate (when asked for and sent). The
/// handshake runs in the TLS stage of the connection's own stream; .NET's <c>SslStream</c> does
/// its cryptography on thread-pool threads, not on an event loop.
/// </para>
/// </remarks>
public static class HttpsServerBuilderExtensions
{
    /// <summary>The ALPN protocol ids this server can speak, in its order of preference: <c>http/1.1</c>, <c>http/1.0</c> (RFC 7301 §6). <c>h2</c> joins with the HTTP/2 server.</summary>
    public static IReadOnlyList<string> SupportedApplicationProtocols { get; } = ["http/1.1", "http/1.0"];

    /// <summary>
    /// Serves HTTPS with <paramref name="options"/>: certificates (chosen by SNI), client-certificate
    /// policy, TLS versions and handshake timeout as given. When
    /// <see cref="TlsServerOptions.ApplicationProtocols"/> is empty, ALPN announces
    /// <see cref="SupportedApplicationProtocols"/>. Build each <see cref="TlsCertificate"/> once and
    /// share it: .NET keeps the session cache (resumption) per certificate context. TLS goes below
    /// the transport layers added before this call and above those added after it, so a layer
    /// added first sees plaintext and one added later sees ciphertext.
    /// </summary>
    /// <exception cref="ArgumentException">the ALPN list names a protocol this server cannot speak (anything but <c>http/1.1</c> and <c>http/1.0</c> for now).</exception>
    /// <exception cref="InvalidOperationException">HTTPS is already enabled on <paramref name="builder"/>.</exception>
    public static HttpServerBuilder EnableHttps(this HttpServerBuilder builder, TlsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var protocol in options.ApplicationProtocols)
        {
            if (!SupportedApplicationProtocols.Contains(protocol, StringComparer.Ordinal))
            {
                throw new ArgumentException(
                    $"ALPN protocol '{protocol}' is not served by this HTTP server; it speaks {string.Join(", ", SupportedApplicationProtocols)}",
                    nameof(options));
            }
        }

        // An empty ALPN list is completed per binding (ServerTransport): what the server speaks.
        return builder.WithTls(options);
    }

    /// <summary>
    /// Serves HTTPS with the certificate in <paramref name="certificatePemPath"/> (the leaf, then
    /// any intermediates) and its private key in <paramref name="keyPemPath"/> (PKCS#8, PKCS#1 or
    /// SEC1), with the actor system's TLS policy (<c>epsilon.io.tls</c>: by default TLS 1.2 and 1.3,
    /// OCSP stapling on, 10 s handshake timeout). The files are read once, now.
    /// </summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">a file is not valid PEM, or the key does not match the certificate.</exception>
    /// <exception cref="FileNotFoundException">a file does not exist.</exception>
    public static HttpServerBuilder EnableHttps(this HttpServerBuilder builder, string certificatePemPath, string keyPemPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificatePemPath);
        ArgumentException.ThrowIfNullOrEmpty(keyPemPath);
        return builder.EnableHttps(new TlsServerOptions(TlsCertificate.FromPemFiles(certificatePemPath, keyPemPath)) { Settings = PolicyOf(builder) });
    }

    /// <summary>
    /// Serves HTTPS with <paramref name="certificate"/>, which must carry its private key, with the
    /// actor system's TLS policy (<c>epsilon.io.tls</c>). Intermediates, when the chain needs them, go through
    /// <see cref="TlsCertificate.FromCertificate"/> and the <see cref="TlsServerOptions"/> overload.
    /// </summary>
    /// <exception cref="ArgumentException">the certificate has no private key.</exception>
    public static HttpServerBuilder EnableHttps(this HttpServerBuilder builder, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return builder.EnableHttps(new TlsServerOptions(TlsCertificate.FromCertificate(certificate)) { Settings = PolicyOf(builder) });
    }

    private static TlsSettings PolicyOf(HttpServerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return EpsilonIo.For(builder.System).Settings.Tls;
    }
}
