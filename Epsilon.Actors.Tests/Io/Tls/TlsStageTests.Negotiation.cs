using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using Akka.IO;
using Akka.Streams.Dsl;
using Epsilon.Actors.Io.Tls;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Io.Tls;

/// <summary>What the two stages negotiate: SNI, ALPN, client certificates, versions; and volume.</summary>
public sealed partial class TlsStageTests
{
    [Theory]
    [InlineData("a.test")]
    [InlineData("b.test")]
    [InlineData("www.c.test")]
    public async Task SNI_picks_the_certificate_for_the_host_asked(string host)
    {
        var options = new TlsServerOptions(
            Certs.Server("a.test"),
            Certs.Server("b.test"),
            TlsCertificate.FromCertificate(Certs.Leaf("*.c.test")))
        { Settings = TlsSettings.Default with { OcspStapling = false } };
        var sessions = new List<Task<TlsSessionInfo>>();
        var binding = await ServeAsync(options, Flow.Create<ByteString>(), sessions);

        var (session, reply) = RunClient(Certs.ClientOptions(host), binding, [[1, 2, 3]]);
        var info = await session.WaitAsync(s_wait);
        Assert.Equal(host == "www.c.test" ? "CN=*.c.test" : "CN=" + host, info.PeerCertificate!.Subject);
        Assert.Equal(new byte[] { 1, 2, 3 }, (await reply.WaitAsync(s_wait)).ToArray());
        Assert.Equal(host, (await OnlySession(sessions)).ServerName);
        await binding.Unbind();
    }

    [Theory]
    [InlineData(new[] { "h2", "http/1.1" }, new[] { "http/1.1" }, "http/1.1")]
    [InlineData(new[] { "h2", "http/1.1" }, new[] { "h2", "http/1.1" }, "h2")]
    [InlineData(new[] { "http/1.1", "h2" }, new[] { "h2", "http/1.1" }, "http/1.1")]
    [InlineData(new[] { "h2" }, new string[0], null)]
    [InlineData(new string[0], new[] { "h2" }, null)]
    public async Task ALPN_negotiates_what_both_share_in_server_order(string[] server, string[] client, string? expected)
    {
        var sessions = new List<Task<TlsSessionInfo>>();
        var binding = await ServeAsync(Certs.ServerOptions("localhost") with { ApplicationProtocols = server }, Flow.Create<ByteString>(), sessions);

        var (session, reply) = RunClient(Certs.ClientOptions("localhost") with { ApplicationProtocols = client }, binding, [[42]]);
        Assert.Equal(expected, (await session.WaitAsync(s_wait)).ApplicationProtocol);
        Assert.Equal(expected, (await OnlySession(sessions)).ApplicationProtocol);
        Assert.Equal(new byte[] { 42 }, (await reply.WaitAsync(s_wait)).ToArray());
        await binding.Unbind();
    }

    [Fact]
    public async Task ALPN_without_a_shared_protocol_fails_with_a_clear_cause()
    {
        var sessions = new List<Task<TlsSessionInfo>>();
        var binding = await ServeAsync(Certs.ServerOptions("localhost") with { ApplicationProtocols = ["h2"] }, Flow.Create<ByteString>(), sessions);

        var (session, _) = RunClient(Certs.ClientOptions("localhost") with { ApplicationProtocols = ["spdy/3"] }, binding, [[42]]);
        var error = await Assert.ThrowsAsync<TlsException>(() => session.WaitAsync(s_wait));
        Assert.Equal(TlsFailureReason.NoApplicationProtocol, error.Reason);
        var serverError = await Assert.ThrowsAsync<TlsException>(() => OnlySession(sessions));
        Assert.Equal(TlsFailureReason.NoApplicationProtocol, serverError.Reason);
        await binding.Unbind();
    }

    [Fact]
    public async Task Required_client_certificate_is_checked_and_exposed()
    {
        var sessions = new List<Task<TlsSessionInfo>>();
        var options = Certs.ServerOptions("exposed.test") with
        {
            ClientCertificateMode = TlsClientCertificateMode.Required,
            ClientCertificateTrustedRoots = Certs.Roots,
        };
        var binding = await ServeAsync(options, Flow.Create<ByteString>(), sessions);

        var client = Certs.ClientOptions("exposed.test") with { ClientCertificate = TlsCertificate.FromCertificate(Certs.Leaf("client-one")) };
        var (session, reply) = RunClient(client, binding, [[7]]);
        await session.WaitAsync(s_wait);
        Assert.Equal(new byte[] { 7 }, (await reply.WaitAsync(s_wait)).ToArray());
        Assert.Equal("CN=client-one", (await OnlySession(sessions)).PeerCertificate?.Subject);
        await binding.Unbind();
    }

    [Fact]
    public async Task Required_client_certificate_missing_is_refused()
    {
        var sessions = new List<Task<TlsSessionInfo>>();
        var options = Certs.ServerOptions("required.test") with { ClientCertificateMode = TlsClientCertificateMode.Required, ClientCertificateTrustedRoots = Certs.Roots };
        var binding = await ServeAsync(options, Flow.Create<ByteString>(), sessions);

        var (session, reply) = RunClient(Certs.ClientOptions("required.test"), binding, [[7]]);
        var serverError = await Assert.ThrowsAsync<TlsException>(() => OnlySession(sessions));
        Assert.Equal(TlsFailureReason.CertificateMissing, serverError.Reason);

        // TLS 1.3: the client's handshake ends before the server judges its certificate, and the
        // server closes without an alert: the client's stream fails, its message naming the likely cause.
        // The server's close may reach the client as a reset (it had unread bytes), which the TCP
        // stage reports itself; otherwise the TLS message names the likely cause.
        var clientError = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await session.WaitAsync(s_wait);
            await reply.WaitAsync(s_wait);
        });
        if (clientError is TlsException tls) Assert.Contains("client certificate", tls.Message, StringComparison.Ordinal);
        else Assert.IsType<Akka.Streams.StreamTcpException>(clientError);
        await binding.Unbind();
    }

    [Fact]
    public async Task Optional_client_certificate_lets_a_client_without_one_in()
    {
        var sessions = new List<Task<TlsSessionInfo>>();
        var options = Certs.ServerOptions("optional.test") with { ClientCertificateMode = TlsClientCertificateMode.Optional, ClientCertificateTrustedRoots = Certs.Roots };
        var binding = await ServeAsync(options, Flow.Create<ByteString>(), sessions);

        var (_, reply) = RunClient(Certs.ClientOptions("optional.test"), binding, [[9]]);
        var serverSession = await OnlySession(sessions);
        Assert.Equal(new byte[] { 9 }, (await reply.WaitAsync(s_wait)).ToArray());
        Assert.Null(serverSession.PeerCertificate);
        await binding.Unbind();
    }

    [Fact]
    public async Task Client_certificate_refused_by_the_validation_callback_fails_the_server_side()
    {
        var sessions = new List<Task<TlsSessionInfo>>();
        var options = Certs.ServerOptions("refused.test") with
        {
            ClientCertificateMode = TlsClientCertificateMode.Required,
            ClientCertificateTrustedRoots = Certs.Roots,
            ClientCertificateValidator = (_, cert, _, errors) => errors == SslPolicyErrors.None && cert!.Subject == "CN=client-allowed",
        };
        var binding = await ServeAsync(options, Flow.Create<ByteString>(), sessions);

        var client = Certs.ClientOptions("refused.test") with { ClientCertificate = TlsCertificate.FromCertificate(Certs.Leaf("client-other")) };
        RunClient(client, binding, [[7]]);
        var serverError = await Assert.ThrowsAsync<TlsException>(() => OnlySession(sessions));
        Assert.Equal(TlsFailureReason.CertificateRejected, serverError.Reason);
        await binding.Unbind();
    }

    [Fact]
    public async Task TLS_1_3_only_client_against_a_TLS_1_2_only_server_fails_naming_the_version()
    {
        var sessions = new List<Task<TlsSessionInfo>>();
        var server = Certs.ServerOptions("localhost") with { Settings = TlsSettings.Default with { MaxVersion = SslProtocols.Tls12, OcspStapling = false } };
        var binding = await ServeAsync(server, Flow.Create<ByteString>(), sessions);

        var client = Certs.ClientOptions("localhost") with { Settings = TlsSettings.Default with { MinVersion = SslProtocols.Tls13 } };
        var (session, _) = RunClient(client, binding, [[1]]);
        var error = await Assert.ThrowsAsync<TlsException>(() => session.WaitAsync(s_wait));
        Assert.Equal(TlsFailureReason.ProtocolVersion, error.Reason);
        var serverError = await Assert.ThrowsAsync<TlsException>(() => OnlySession(sessions));
        Assert.Equal(TlsFailureReason.ProtocolVersion, serverError.Reason);
        await binding.Unbind();
    }

    [Fact]
    public async Task TLS_1_2_is_negotiated_when_the_server_allows_only_1_2()
    {
        var server = Certs.ServerOptions("localhost") with { Settings = TlsSettings.Default with { MaxVersion = SslProtocols.Tls12, OcspStapling = false } };
        var binding = await ServeAsync(server, Flow.Create<ByteString>());
        var (session, reply) = RunClient(Certs.ClientOptions("localhost"), binding, [Payload(50_000, 5)]);
        var info = await session.WaitAsync(s_wait);
        Assert.Equal(SslProtocols.Tls12, info.Protocol);
        Assert.Contains("ECDHE", info.CipherSuite.ToString(), StringComparison.Ordinal);
        Assert.Equal(Payload(50_000, 5), (await reply.WaitAsync(s_wait)).ToArray());
        await binding.Unbind();
    }

    [Fact]
    public async Task Moves_64_MiB_each_way_byte_exact()
    {
        var binding = await ServeAsync(Certs.ServerOptions("localhost"), Flow.Create<ByteString>());
        const int chunk = 64 * 1024;
        const int chunks = 1024;
        var sent = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var received = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long receivedBytes = 0;
        var source = Source.From(Enumerable.Range(0, chunks)).Select(i =>
        {
            var bytes = Payload(chunk, i);
            sent.AppendData(bytes);
            return ByteString.FromBytes(bytes);
        });
        var (session, done) = source
            .ViaMaterialized(EpsilonTls.Client(Certs.ClientOptions("localhost")).Join(TlsTestTransport.Connect(Sys, EndPointOf(binding))), Keep.Right)
            .ToMaterialized(Sink.ForEach<ByteString>(b =>
            {
                received.AppendData(b.ToReadOnlySpan());
                receivedBytes += b.Count;
            }), Keep.Both)
            .Run(_materializer);
        await session.WaitAsync(s_wait);
        await done.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.Equal((long)chunk * chunks, receivedBytes);
        Assert.Equal(sent.GetHashAndReset(), received.GetHashAndReset());
        await binding.Unbind();
    }

    [Fact]
    public async Task Serves_500_concurrent_connections()
    {
        var binding = await ServeAsync(Certs.ServerOptions("localhost"), Flow.Create<ByteString>());
        var options = Certs.ClientOptions("localhost");
        var clients = Enumerable.Range(0, 500).Select(i =>
        {
            var payload = Payload(1000 + i, i);
            var (session, reply) = RunClient(options, binding, [payload]);
            return (Payload: payload, Reply: reply);
        }).ToArray();
        await Task.WhenAll(clients.Select(c => c.Reply)).WaitAsync(TimeSpan.FromMinutes(3));
        foreach (var c in clients) Assert.Equal(c.Payload, c.Reply.Result.ToArray());
        await binding.Unbind();
    }
}
