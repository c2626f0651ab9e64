using System.Net.Security;
using System.Security.Authentication;
using Akka.Configuration;
using Epsilon.Actors.Settings;

namespace Epsilon.Actors.Io.Tls;

/// <summary>
/// TLS security policy and limits (<c>epsilon.io.tls</c>), shared by clients and servers.
/// Immutable; change with <c>with</c>, which validates. Every default here equals
/// <c>reference.conf</c>'s.
/// </summary>
public sealed record TlsSettings
{
    private readonly SslProtocols _minVersion = SslProtocols.Tls12;
    private readonly SslProtocols _maxVersion = SslProtocols.Tls13;
    private readonly TimeSpan _handshakeTimeout = TimeSpan.FromSeconds(10);
    private readonly int _readBufferSize = 16 * 1024 + 512;
    private readonly IReadOnlyList<TlsCipherSuite>? _cipherSuites;

    /// <summary>
    /// A strict list (<c>cipher-suites = forward-secret-aead</c>): the three TLS 1.3 suites and the
    /// ECDHE (RSA or ECDSA) AES-GCM and ChaCha20-Poly1305 suites of TLS 1.2; no CBC suites.
    /// </summary>
    public static IReadOnlyList<TlsCipherSuite> ForwardSecretAeadSuites { get; } =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>
    /// The oldest protocol version accepted: <see cref="SslProtocols.Tls12"/> or
    /// <see cref="SslProtocols.Tls13"/>. Defaults to TLS 1.2. Older versions are never offered.
    /// </summary>
    public SslProtocols MinVersion
    {
        get => _minVersion;
        init => _minVersion = Version(value, "epsilon.io.tls.min-version");
    }

    /// <summary>
    /// The newest protocol version offered: TLS 1.2 or TLS 1.3. Defaults to TLS 1.3. Must not be
    /// older than <see cref="MinVersion"/> (checked when a connection starts, so a <c>with</c>
    /// changing both is never caught half-way).
    /// </summary>
    public SslProtocols MaxVersion
    {
        get => _maxVersion;
        init => _maxVersion = Version(value, "epsilon.io.tls.max-version");
    }

    /// <summary>
    /// The cipher suites allowed, or null for .NET's own list. Defaults to null: on Linux .NET's
    /// list has only forward-secret suites (ECDHE for TLS 1.2, and TLS 1.3's; proven by a
    /// conformance test) unless the system's OpenSSL configuration sets another, and it keeps TLS
    /// session resumption. A list here is applied on Linux as a <see cref="CipherSuitesPolicy"/>
    /// (other systems use their own policy), and then .NET no longer caches its TLS context, so
    /// sessions are not resumed (a .NET limitation).
    /// </summary>
    public IReadOnlyList<TlsCipherSuite>? CipherSuites
    {
        get => _cipherSuites;
        init => _cipherSuites = value is { Count: 0 }
            ? throw new ArgumentOutOfRangeException("epsilon.io.tls.cipher-suites", "epsilon.io.tls.cipher-suites must name at least one suite, or be 'default' or 'forward-secret-aead'")
            : value;
    }

    /// <summary>
    /// The most time a handshake may take, from the start of the connection to its end; a slower
    /// one fails with <see cref="TlsFailureReason.HandshakeTimeout"/> and the connection closes.
    /// Defaults to 10 s. Range 10 ms to 10 min.
    /// </summary>
    public TimeSpan HandshakeTimeout
    {
        get => _handshakeTimeout;
        init => _handshakeTimeout = SettingsGuard.InRange(value, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10), "epsilon.io.tls.handshake-timeout");
    }

    /// <summary>
    /// The buffer one plaintext read fills: the most plaintext one element (or one
    /// <c>Tcp.Received</c>) carries. Rented per read, so an idle connection holds none. Defaults
    /// to 16.5 KiB (one full TLS record). Range 1 KiB to 1 MiB.
    /// </summary>
    public int ReadBufferSize
    {
        get => _readBufferSize;
        init => _readBufferSize = SettingsGuard.InRange(value, 1024, 1024 * 1024, "epsilon.io.tls.read-buffer-size");
    }

    /// <summary>
    /// Servers: staple the certificate's OCSP response (fetched and refreshed by .NET from the
    /// responder named in the certificate, and the intermediate certificates fetched too when
    /// missing). Turn off for servers that must never reach the network. Defaults to true.
    /// </summary>
    public bool OcspStapling { get; init; } = true;

    /// <summary>
    /// Whether a connection whose peer closed TCP without a TLS close_notify completes normally
    /// (true) or fails with <see cref="TlsFailureReason.Truncated"/> (false). Many HTTPS peers
    /// skip close_notify and rely on their own framing. Defaults to false.
    /// </summary>
    public bool AllowTruncation { get; init; }

    /// <summary>The defaults of <c>reference.conf</c>.</summary>
    public static TlsSettings Default { get; } = new();

    /// <summary>The <see cref="SslProtocols"/> flags from <see cref="MinVersion"/> to <see cref="MaxVersion"/>.</summary>
    /// <exception cref="ArgumentException">the maximum is older than the minimum.</exception>
    public SslProtocols EnabledProtocols
    {
        get
        {
            if (_maxVersion < _minVersion)
                throw new ArgumentException($"epsilon.io.tls.max-version ({Name(_maxVersion)}) is older than min-version ({Name(_minVersion)})");
            return _minVersion == _maxVersion ? _minVersion : _minVersion | _maxVersion;
        }
    }

    /// <summary>Reads the <c>epsilon.io.tls</c> section (the section itself).</summary>
    /// <exception cref="ArgumentException">a value is out of range; the message names the key.</exception>
    public static TlsSettings FromConfig(Config tls)
    {
        var suites = tls.GetStringList("cipher-suites");
        return new TlsSettings
        {
            MinVersion = ParseVersion(tls.GetString("min-version"), "epsilon.io.tls.min-version"),
            MaxVersion = ParseVersion(tls.GetString("max-version"), "epsilon.io.tls.max-version"),
            CipherSuites = suites.Count == 1 && suites[0].Trim().Equals("default", StringComparison.OrdinalIgnoreCase)
                ? null
                : suites.Count == 1 && suites[0].Trim().Equals("forward-secret-aead", StringComparison.OrdinalIgnoreCase)
                    ? ForwardSecretAeadSuites
                    : suites.Select(ParseSuite).ToArray(),
            HandshakeTimeout = tls.GetTimeSpan("handshake-timeout"),
            ReadBufferSize = checked((int)tls.GetByteSize("read-buffer-size")!.Value),
            OcspStapling = tls.GetBoolean("ocsp-stapling"),
            AllowTruncation = tls.GetBoolean("allow-truncation"),
        };
    }

    /// <summary>
    /// These settings as the body of an <c>epsilon.io.tls</c> section, every key written, which
    /// <see cref="FromConfig"/> reads back to an equal value (a null suite list as
    /// <c>[default]</c>, any other as its IANA names).
    /// </summary>
    public string ToHocon() => $"""
        min-version = "{VersionNumber(_minVersion)}"
        max-version = "{VersionNumber(_maxVersion)}"
        cipher-suites = [{(_cipherSuites is null ? "default" : string.Join(", ", _cipherSuites))}]
        handshake-timeout = {HoconValues.Duration(HandshakeTimeout)}
        read-buffer-size = {HoconValues.Bytes(ReadBufferSize)}
        ocsp-stapling = {HoconValues.Switch(OcspStapling)}
        allow-truncation = {HoconValues.Switch(AllowTruncation)}

        """;

    /// <summary>Settings equal when every value is equal (the suite lists compared element by element).</summary>
    public bool Equals(TlsSettings? other) =>
        other is not null
        && _minVersion == other._minVersion && _maxVersion == other._maxVersion
        && _handshakeTimeout == other._handshakeTimeout && _readBufferSize == other._readBufferSize
        && OcspStapling == other.OcspStapling && AllowTruncation == other.AllowTruncation
        && (_cipherSuites is null ? other._cipherSuites is null : other._cipherSuites is not null && _cipherSuites.SequenceEqual(other._cipherSuites));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_minVersion, _maxVersion, _handshakeTimeout, _readBufferSize, OcspStapling, AllowTruncation, _cipherSuites?.Count);

    /// <summary>"TLS 1.2" or "TLS 1.3", for messages.</summary>
    internal static string Name(SslProtocols version) => version switch
    {
        SslProtocols.Tls12 => "TLS 1.2",
        SslProtocols.Tls13 => "TLS 1.3",
        _ => version.ToString(),
    };

    private static string VersionNumber(SslProtocols version) => version == SslProtocols.Tls13 ? "1.3" : "1.2";

    private static SslProtocols Version(SslProtocols value, string key) => value is SslProtocols.Tls12 or SslProtocols.Tls13
        ? value
        : throw new ArgumentOutOfRangeException(key, value, $"{key} must be 1.2 or 1.3");

    private static SslProtocols ParseVersion(string? raw, string key) => raw?.Trim().ToLowerInvariant() switch
    {
        "1.2" or "tls1.2" or "tlsv1.2" => SslProtocols.Tls12,
        "1.3" or "tls1.3" or "tlsv1.3" => SslProtocols.Tls13,
        _ => throw new ArgumentOutOfRangeException(key, raw, $"{key} must be 1.2 or 1.3"),
    };

    private static TlsCipherSuite ParseSuite(string name) =>
        Enum.TryParse<TlsCipherSuite>(name.Trim(), ignoreCase: false, out var suite) && Enum.IsDefined(suite)
            ? suite
            : throw new ArgumentOutOfRangeException("epsilon.io.tls.cipher-suites", name, $"epsilon.io.tls.cipher-suites: unknown suite '{name}' (use IANA names such as TLS_AES_128_GCM_SHA256)");
}
