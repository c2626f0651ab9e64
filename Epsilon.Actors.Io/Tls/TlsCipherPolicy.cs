using System.Net.Security;

namespace Epsilon.Actors.Io.Tls;

/// <summary>
/// The <see cref="CipherSuitesPolicy"/> for a <see cref="TlsSettings"/>, built once per distinct
/// list. Only Linux (OpenSSL) honours it: callers check <see cref="OperatingSystem.IsLinux"/>, and
/// elsewhere the platform's policy applies.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class TlsCipherPolicy
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, CipherSuitesPolicy> s_policies = new();

    public static CipherSuitesPolicy? For(TlsSettings settings)
    {
        if (settings.CipherSuites is not { } suites) return null;
        var key = string.Join(',', suites);
        return s_policies.GetOrAdd(key, static (_, list) => new CipherSuitesPolicy(list), suites);
    }
}
