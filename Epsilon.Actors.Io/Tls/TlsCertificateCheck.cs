using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Epsilon.Actors.Io.Tls;

/// <summary>
/// The certificate check both roles run after .NET's own chain and name validation: it turns
/// .NET's <see cref="SslPolicyErrors"/> and chain status into a <see cref="TlsFailureReason"/>,
/// records it on the stream, and lets the user's callback decide last.
/// </summary>
internal static class TlsCertificateCheck
{
    /// <summary>A chain policy trusting exactly <paramref name="roots"/> (and the system store not at all).</summary>
    public static X509ChainPolicy CustomTrust(X509Certificate2Collection roots)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(roots);
        return policy;
    }

    /// <summary>The <see cref="RemoteCertificateValidationCallback"/> body.</summary>
    public static bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors,
        bool isServer, TlsClientCertificateMode mode, RemoteCertificateValidationCallback? user)
    {
        TlsException? refusal;
        if (certificate is null)
        {
            // Servers: the client sent no certificate. Clients never get here without one.
            refusal = isServer && mode != TlsClientCertificateMode.Required
                ? null
                : new TlsException(TlsFailureReason.CertificateMissing, isServer ? "the client sent no certificate and one is required" : "the server sent no certificate");
            if (isServer) return Record(sender, refusal);
        }
        else
        {
            refusal = Classify(certificate, chain, errors, isServer);
        }

        if (user is not null)
        {
            var accepted = user(sender, certificate, chain, errors);
            return Record(sender, accepted ? null : refusal ?? new TlsException(TlsFailureReason.CertificateRejected,
                $"the {(isServer ? "client" : "server")} certificate {certificate?.Subject} was refused by the validation callback"));
        }

        return Record(sender, refusal);
    }

    /// <summary>Maps .NET's findings to one reason; null when there is nothing wrong.</summary>
    public static TlsException? Classify(X509Certificate certificate, X509Chain? chain, SslPolicyErrors errors, bool isServer)
    {
        var who = isServer ? "client" : "server";
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return new TlsException(TlsFailureReason.CertificateNameMismatch,
                $"the {who} certificate {certificate.Subject} does not name the host asked for");
        }

        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            var status = chain?.ChainStatus ?? [];
            var flags = status.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
            var detail = string.Join("; ", status.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            if ((flags & X509ChainStatusFlags.NotTimeValid) != 0)
            {
                var leaf = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
                return new TlsException(TlsFailureReason.CertificateExpired,
                    $"the {who} certificate {leaf.Subject} is valid from {leaf.NotBefore.ToUniversalTime():u} to {leaf.NotAfter.ToUniversalTime():u} ({detail})");
            }

            return new TlsException(TlsFailureReason.CertificateUntrusted,
                $"the {who} certificate {certificate.Subject} (issuer {certificate.Issuer}) does not chain to a trusted root ({(detail.Length > 0 ? detail : flags.ToString())})");
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            return new TlsException(TlsFailureReason.CertificateMissing, $"the {who} sent no certificate");
        return null;
    }

    private static bool Record(object sender, TlsException? refusal)
    {
        if (refusal is not null && sender is TlsSslStream stream) stream.Refusal = refusal;
        return refusal is null;
    }
}
