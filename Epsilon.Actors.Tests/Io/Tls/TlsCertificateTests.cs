using System.Security.Cryptography.X509Certificates;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Io.Tls;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;
using AkkaTestKit = Akka.TestKit.Xunit2.TestKit;
using StreamTcp = Akka.Streams.Dsl.Tcp;

namespace Epsilon.Actors.Tests.Io.Tls;

/// <summary>Server identities loaded from PEM and PFX files, each proven by a handshake over loopback.</summary>
[Trait("Category", "Loopback")]
public sealed class TlsCertificateTests : AkkaTestKit
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "epsilon-tlscert-" + Guid.NewGuid().ToString("N"));
    private readonly IMaterializer _materializer;

    public TlsCertificateTests(ITestOutputHelper output)
        : base(EpsilonTestConfig.For("auto"), output: output)
    {
        _materializer = Sys.Materializer();
        Directory.CreateDirectory(_dir);
    }

    [Fact]
    public async Task PEM_certificate_and_key_files_serve_a_handshake()
    {
        var (cert, key) = TestCertificates.WritePem(TestCertificates.Shared.Leaf("pem.test"), _dir, "pem");
        var certificate = TlsCertificate.FromPemFiles(cert, key);
        Assert.Equal(["pem.test"], certificate.HostNames);
        Assert.Equal("CN=pem.test", await HandshakeAsync(certificate, "pem.test"));
    }

    [Fact]
    public async Task PEM_file_with_the_chain_sends_the_intermediates()
    {
        var leaf = TestCertificates.Shared.Leaf("chain.test");
        var (cert, key) = TestCertificates.WritePem(leaf, _dir, "chain");
        File.AppendAllText(cert, "\n" + TestCertificates.Shared.Ca.ExportCertificatePem() + "\n");
        var certificate = TlsCertificate.FromPemFiles(cert, key);
        Assert.Single(certificate.Intermediates);
        Assert.Equal("CN=chain.test", await HandshakeAsync(certificate, "chain.test"));
    }

    [Fact]
    public async Task PFX_file_and_PFX_bytes_serve_a_handshake()
    {
        var path = Path.Combine(_dir, "server.pfx");
        var pfx = TestCertificates.Shared.Leaf("pfx.test").Export(X509ContentType.Pkcs12, "secret");
        File.WriteAllBytes(path, pfx);
        Assert.Equal("CN=pfx.test", await HandshakeAsync(TlsCertificate.FromPfxFile(path, "secret"), "pfx.test"));
        Assert.Equal("CN=pfx.test", await HandshakeAsync(TlsCertificate.FromPfx(pfx, "secret"), "pfx.test"));
    }

    [Fact]
    public void A_certificate_without_its_key_is_refused()
    {
        var publicOnly = X509CertificateLoader.LoadCertificate(TestCertificates.Shared.Leaf("nokey.test").RawData);
        var ex = Assert.Throws<ArgumentException>(() => TlsCertificate.FromCertificate(publicOnly));
        Assert.Contains("private key", ex.Message, StringComparison.Ordinal);
    }

    protected override void Dispose(bool disposing)
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }

        base.Dispose(disposing);
    }

    /// <summary>Serves <paramref name="certificate"/> (with OCSP stapling on, the default) and returns the subject the client saw.</summary>
    private async Task<string> HandshakeAsync(TlsCertificate certificate, string host)
    {
        var options = new TlsServerOptions(certificate);
        var binding = await TlsTestTransport.Bind(Sys)
            .To(Sink.ForEach<StreamTcp.IncomingConnection>(c => c.HandleWith(EpsilonTls.ServerFlow(options, Flow.Create<ByteString>()), _materializer)))
            .Run(_materializer).WaitAsync(s_wait);
        try
        {
            var (session, reply) = Source.Single(ByteString.FromString("x"))
                .ViaMaterialized(EpsilonTls.Client(TestCertificates.Shared.ClientOptions(host)).Join(
                    TlsTestTransport.Connect(Sys, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, TlsTestTransport.PortOf(binding)))), Keep.Right)
                .ToMaterialized(Sink.Ignore<ByteString>(), Keep.Both)
                .Run(_materializer);
            var info = await session.WaitAsync(s_wait);
            await reply.WaitAsync(s_wait);
            return info.PeerCertificate!.Subject;
        }
        finally
        {
            await binding.Unbind();
        }
    }
}
