using System.Security.Cryptography.X509Certificates;
using System.Net.Security;

namespace Epsilon.Actors.Io.Tls;

/// <summary>
/// A certificate with its private key and the intermediate certificates sent with it: a server's
/// identity (one per host name, chosen by SNI) or a client's. Load it from PEM or PFX files or
/// give it from memory. Thread-safe and immutable; build each once and share it, because .NET
/// keeps its TLS context (and so its session cache and stapled OCSP response) per certificate.
/// </summary>
public sealed class TlsCertificate
{
    private readonly object _lock = new();
    private SslStreamCertificateContext? _online;
    private SslStreamCertificateContext? _offline;

    private TlsCertificate(X509Certificate2 certificate, X509Certificate2Collection intermediates, IReadOnlyList<string>? hostNames)
    {
        if (!certificate.HasPrivateKey)
            throw new ArgumentException($"the certificate {certificate.Subject} has no private key", nameof(certificate));
        Certificate = certificate;
        Intermediates = intermediates;
        HostNames = hostNames ?? NamesOf(certificate);
    }

    /// <summary>The leaf certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Intermediate certificates sent after the leaf (may be empty).</summary>
    public X509Certificate2Collection Intermediates { get; }

    /// <summary>
    /// The host names this certificate serves, matched against the client's SNI (a leading
    /// <c>*.</c> matches one label). By default the certificate's DNS subject alternative names,
    /// or its common name when it has none.
    /// </summary>
    public IReadOnlyList<string> HostNames { get; }

    /// <summary>
    /// From memory: <paramref name="certificate"/> must carry its private key.
    /// </summary>
    /// <param name="certificate">The leaf certificate with its key.</param>
    /// <param name="intermediates">Intermediates to send with it; none by default.</param>
    /// <param name="hostNames">The SNI names it serves; by default its own names.</param>
    /// <exception cref="ArgumentException">the certificate has no private key.</exception>
    public static TlsCertificate FromCertificate(X509Certificate2 certificate, X509Certificate2Collection? intermediates = null, IEnumerable<string>? hostNames = null) =>
        new(certificate, intermediates ?? [], hostNames?.ToArray());

    /// <summary>
    /// From PEM files: <paramref name="certificatePath"/> holds the leaf first, then any
    /// intermediates; <paramref name="keyPath"/> holds its private key (PKCS#8, PKCS#1 or SEC1;
    /// null when the key is in the certificate file).
    /// </summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">a file is not valid PEM, or the key does not match.</exception>
    public static TlsCertificate FromPemFiles(string certificatePath, string? keyPath = null, IEnumerable<string>? hostNames = null)
    {
        var leaf = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certificatePath);
        var intermediates = new X509Certificate2Collection();
        foreach (var cert in all)
        {
            if (cert.Thumbprint != leaf.Thumbprint) intermediates.Add(cert);
        }

        return new TlsCertificate(leaf, intermediates, hostNames?.ToArray());
    }

    /// <summary>
    /// From a PKCS#12 (PFX) file: the certificate with a private key is the leaf, the others are
    /// sent as intermediates.
    /// </summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">the file or password is wrong.</exception>
    /// <exception cref="ArgumentException">no certificate in the file has a private key.</exception>
    public static TlsCertificate FromPfxFile(string path, string? password, IEnumerable<string>? hostNames = null) =>
        FromPfx(X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password), path, hostNames);

    /// <summary>From PKCS#12 (PFX) bytes held in memory; as <see cref="FromPfxFile"/>.</summary>
    public static TlsCertificate FromPfx(ReadOnlySpan<byte> pfx, string? password, IEnumerable<string>? hostNames = null) =>
        FromPfx(X509CertificateLoader.LoadPkcs12Collection(pfx, password), "the PFX data", hostNames);

    private static TlsCertificate FromPfx(X509Certificate2Collection all, string source, IEnumerable<string>? hostNames)
    {
        var leaf = all.FirstOrDefault(c => c.HasPrivateKey) ?? throw new ArgumentException($"{source} holds no certificate with a private key");
        var intermediates = new X509Certificate2Collection();
        foreach (var cert in all)
        {
            if (!ReferenceEquals(cert, leaf)) intermediates.Add(cert);
        }

        return new TlsCertificate(leaf, intermediates, hostNames?.ToArray());
    }

    /// <summary>True when <paramref name="serverName"/> (an SNI host name) is one this certificate serves.</summary>
    public bool Serves(string serverName)
    {
        foreach (var name in HostNames)
        {
            if (name.StartsWith("*.", StringComparison.Ordinal))
            {
                var dot = serverName.IndexOf('.', StringComparison.Ordinal);
                if (dot > 0 && serverName.AsSpan(dot).Equals(name.AsSpan(1), StringComparison.OrdinalIgnoreCase)) return true;
            }
            else if (name.Equals(serverName, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// .NET's certificate context, built once per mode. <paramref name="ocspStapling"/> builds it
    /// online: .NET fetches missing intermediates and the OCSP response to staple.
    /// </summary>
    internal SslStreamCertificateContext Context(bool ocspStapling)
    {
        lock (_lock)
        {
            return ocspStapling
                ? _online ??= SslStreamCertificateContext.Create(Certificate, Intermediates, offline: false)
                : _offline ??= SslStreamCertificateContext.Create(Certificate, Intermediates, offline: true);
        }
    }

    private static string[] NamesOf(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                var names = san.EnumerateDnsNames().ToArray();
                if (names.Length > 0) return names;
            }
        }

        var cn = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return string.IsNullOrEmpty(cn) ? [] : [cn];
    }
}
