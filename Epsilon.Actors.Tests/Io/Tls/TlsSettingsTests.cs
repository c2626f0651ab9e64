using System.Net.Security;
using System.Security.Authentication;
using Akka.Configuration;
using Epsilon.Actors.Io;
using Epsilon.Actors.Io.Tls;
using Epsilon.Actors.Settings;
using Xunit;

namespace Epsilon.Actors.Tests.Io.Tls;

[Trait("Category", "Unit")]
public sealed class TlsSettingsTests
{
    [Fact]
    public void Defaults_are_TLS_1_2_to_1_3_with_the_platform_suites_and_a_10_second_handshake()
    {
        var settings = new TlsSettings();
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, settings.EnabledProtocols);
        Assert.Null(settings.CipherSuites);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.HandshakeTimeout);
        Assert.True(settings.OcspStapling);
        Assert.False(settings.AllowTruncation);
    }

    [Fact]
    public void Hocon_overrides_reach_the_settings()
    {
        var config = ConfigurationFactory.ParseString("""
            epsilon.io.tls { min-version = "1.3", handshake-timeout = 2s, cipher-suites = [forward-secret-aead], ocsp-stapling = off, allow-truncation = on, read-buffer-size = 4 KiB }
            """);
        var settings = EpsilonIoSettings.FromConfig(EpsilonConfig.Section(config, "epsilon.io")).Tls;
        Assert.Equal(SslProtocols.Tls13, settings.EnabledProtocols);
        Assert.Equal(TlsSettings.ForwardSecretAeadSuites, settings.CipherSuites);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.HandshakeTimeout);
        Assert.False(settings.OcspStapling);
        Assert.True(settings.AllowTruncation);
        Assert.Equal(4096, settings.ReadBufferSize);
    }

    [Fact]
    public void A_named_suite_list_is_parsed()
    {
        var config = ConfigurationFactory.ParseString("epsilon.io.tls.cipher-suites = [TLS_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]");
        var settings = TlsSettings.FromConfig(EpsilonConfig.Section(config, "epsilon.io.tls"));
        Assert.Equal([TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256], settings.CipherSuites);
    }

    [Fact]
    public void A_maximum_older_than_the_minimum_is_refused_when_used()
    {
        var settings = new TlsSettings { MinVersion = SslProtocols.Tls13, MaxVersion = SslProtocols.Tls12 };
        var ex = Assert.Throws<ArgumentException>(() => settings.EnabledProtocols);
        Assert.Contains("max-version", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Versions_before_1_2_are_refused()
    {
#pragma warning disable SYSLIB0039 // the obsolete version is the point of the test
        Assert.Throws<ArgumentOutOfRangeException>(() => new TlsSettings { MinVersion = SslProtocols.Tls11 });
#pragma warning restore SYSLIB0039
        Assert.Throws<ArgumentOutOfRangeException>(() => new TlsSettings { CipherSuites = [] });
    }

    [Theory]
    [InlineData("error:0A000102:SSL routines::unsupported protocol", TlsFailureReason.ProtocolVersion)]
    [InlineData("error:0A00042E:SSL routines::tlsv1 alert protocol version", TlsFailureReason.ProtocolVersion)]
    [InlineData("error:0A0000C1:SSL routines::no shared cipher", TlsFailureReason.NoSharedCipher)]
    [InlineData("error:0A000460:SSL routines::tlsv1 alert no application protocol", TlsFailureReason.NoApplicationProtocol)]
    [InlineData("error:0A000418:SSL routines::tlsv1 alert unknown ca", TlsFailureReason.PeerRejectedCertificate)]
    [InlineData("error:0A000412:SSL routines::sslv3 alert bad certificate", TlsFailureReason.PeerRejectedCertificate)]
    [InlineData("error:0A00045C:SSL routines::tlsv13 alert certificate required", TlsFailureReason.CertificateMissing)]
    [InlineData("error:0A000126:SSL routines::unexpected eof while reading", null)]
    public void OpenSSL_errors_map_to_reasons(string message, TlsFailureReason? expected)
    {
        Assert.Equal(expected, TlsFailureClassifier.FromOpenSsl(message.ToLowerInvariant()));
    }

    [Theory]
    [InlineData("a.test", "a.test", true)]
    [InlineData("A.TEST", "a.test", true)]
    [InlineData("*.c.test", "www.c.test", true)]
    [InlineData("*.c.test", "c.test", false)]
    [InlineData("*.c.test", "a.b.c.test", false)]
    [InlineData("a.test", "b.test", false)]
    public void Certificate_host_names_match_SNI_with_one_label_wildcards(string name, string sni, bool expected)
    {
        var cert = TlsCertificate.FromCertificate(TestKit.TestCertificates.Shared.Leaf("x.test"), hostNames: [name]);
        Assert.Equal(expected, cert.Serves(sni));
    }

    [Fact]
    public void With_validates_like_construction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TlsSettings.Default with { HandshakeTimeout = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => TlsSettings.Default with { ReadBufferSize = 10 });
    }
}
