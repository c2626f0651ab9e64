using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Epsilon.Actors.Io.Tls;

namespace Epsilon.Actors.Tests.TestKit;

/// <summary>
/// Certificates made in the test process with <see cref="CertificateRequest"/>: a test CA, a leaf
/// per host name (server and client authentication), an expired leaf, and a leaf from a second CA
/// nobody trusts. ECDSA P-256 keys, so making them is fast. Nothing here touches the network.
/// </summary>
public sealed class TestCertificates
{
    private static readonly Lazy<TestCertificates> s_shared = new(() => new TestCertificates());
    private readonly Dictionary<string, X509Certificate2> _leaves = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    private TestCertificates()
    {
        Ca = MakeCa("CN=Epsilon Test CA");
        OtherCa = MakeCa("CN=Untrusted Test CA");
    }

    /// <summary>One set per test run.</summary>
    public static TestCertificates Shared => s_shared.Value;

    /// <summary>The CA the tests trust.</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>A CA nobody trusts.</summary>
    public X509Certificate2 OtherCa { get; }

    /// <summary>The CA as a trust store.</summary>
    public X509Certificate2Collection Roots => [Ca];

    /// <summary>A leaf for <paramref name="host"/> issued by <see cref="Ca"/>, valid now; made once per host.</summary>
    public X509Certificate2 Leaf(string host)
    {
        lock (_lock)
        {
            if (!_leaves.TryGetValue(host, out var cert))
            {
                cert = Issue(Ca, "CN=" + host, [host], DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
                _leaves[host] = cert;
            }

            return cert;
        }
    }

    /// <summary>A leaf for <paramref name="host"/> with an RSA 2048 key (RSA key exchange needs one), issued by <see cref="Ca"/>.</summary>
    public X509Certificate2 LeafRsa(string host)
    {
        using var key = RSA.Create(2048);
        return Issue(Ca, "CN=" + host, [host], DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), key);
    }

    /// <summary>A leaf for <paramref name="host"/> whose authority information names <paramref name="ocspUrl"/> as its OCSP responder.</summary>
    public X509Certificate2 LeafWithOcsp(string host, string ocspUrl) =>
        Issue(Ca, "CN=" + host, [host], DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), ocspUrl: ocspUrl);

    /// <summary>A leaf for <paramref name="host"/> that expired yesterday.</summary>
    public X509Certificate2 Expired(string host) =>
        Issue(Ca, "CN=" + host, [host], DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));

    /// <summary>A leaf for <paramref name="host"/> from <see cref="OtherCa"/>.</summary>
    public X509Certificate2 Untrusted(string host) =>
        Issue(OtherCa, "CN=" + host, [host], DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

    /// <summary>The server identity for <paramref name="host"/>, trusted by <see cref="ClientOptions"/>.</summary>
    public TlsCertificate Server(string host) => TlsCertificate.FromCertificate(Leaf(host));

    /// <summary>Server options for <paramref name="hosts"/> (the first is the default), OCSP stapling off (no network).</summary>
    public TlsServerOptions ServerOptions(params string[] hosts) =>
        new(hosts.Select(Server).ToArray()) { Settings = TlsSettings.Default with { OcspStapling = false } };

    /// <summary>Client options for <paramref name="host"/> trusting exactly the test CA.</summary>
    public TlsClientOptions ClientOptions(string host) => new(host) { TrustedRoots = Roots };

    /// <summary>A chain policy trusting exactly the test CA, for SslStream peers.</summary>
    public X509ChainPolicy ChainPolicy()
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(Ca);
        return policy;
    }

    /// <summary>Writes <paramref name="cert"/> and its key as PEM files in <paramref name="directory"/>; returns their paths.</summary>
    public static (string Cert, string Key) WritePem(X509Certificate2 cert, string directory, string name)
    {
        Directory.CreateDirectory(directory);
        var certPath = Path.Combine(directory, name + ".crt");
        var keyPath = Path.Combine(directory, name + ".key");
        File.WriteAllText(certPath, cert.ExportCertificatePem());
        var key = (AsymmetricAlgorithm?)cert.GetECDsaPrivateKey() ?? cert.GetRSAPrivateKey() ?? throw new InvalidOperationException("no private key");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }

    private static X509Certificate2 MakeCa(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-90), DateTimeOffset.UtcNow.AddYears(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    private static X509Certificate2 Issue(X509Certificate2 issuer, string subject, string[] dnsNames, DateTimeOffset notBefore, DateTimeOffset notAfter, RSA? rsa = null, string? ocspUrl = null)
    {
        using var ec = rsa is null ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : null;
        var request = rsa is null
            ? new CertificateRequest(subject, ec!, HashAlgorithmName.SHA256)
            : new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | (rsa is null ? 0 : X509KeyUsageFlags.KeyEncipherment), true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames) san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        if (ocspUrl is not null) request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension([ocspUrl], null));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        using var issuerKey = issuer.GetECDsaPrivateKey()!;
        using var signed = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), notBefore, notAfter, serial);
        using var withKey = rsa is null ? signed.CopyWithPrivateKey(ec!) : signed.CopyWithPrivateKey(rsa);
        // Round-trip through PKCS#12 so the key is a plain, exportable one on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }
}
