using System.Net;
using System.Net.Sockets;
using Akka.IO;
using Akka.Streams.Dsl;
using Epsilon.Actors.Io.Tls;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Io.Tls;

/// <summary>Bad input: each fails its own connection with a named cause, closes it, and leaves the others alone.</summary>
public sealed partial class TlsStageTests
{
    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", "plaintext HTTP")]
    [InlineData(null, "not a TLS record")]
    public async Task Non_TLS_bytes_on_a_TLS_port_fail_that_connection_only(string? text, string expected)
    {
        var sessions = new List<Task<TlsSessionInfo>>();
        var binding = await ServeAsync(Certs.ServerOptions("localhost"), Flow.Create<ByteString>(), sessions);

        // A good connection, open before and after the bad one.
        var good = Source.Queue<ByteString>(16, Akka.Streams.OverflowStrategy.Backpressure);
        var (queue, (goodSession, goodReply)) = good
            .ViaMaterialized(EpsilonTls.Client(Certs.ClientOptions("localhost")).Join(TlsTestTransport.Connect(Sys, EndPointOf(binding))), Keep.Both)
            .ToMaterialized(Sink.Aggregate<ByteString, ByteString>(ByteString.Empty, (a, b) => a.Concat(b)), (left, reply) => (left.Item1, (left.Item2, reply)))
            .Run(_materializer);
        await goodSession.WaitAsync(s_wait);
        await queue.OfferAsync(ByteString.FromString("before "));

        using var bad = PlainSocket.Connect(EndPointOf(binding));
        bad.Send(text is null ? Payload(300, seed: 9) : System.Text.Encoding.ASCII.GetBytes(text));
        var failure = await Assert.ThrowsAsync<TlsException>(() => SessionAt(sessions, 1));
        Assert.Equal(TlsFailureReason.NotTls, failure.Reason);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        AssertClosedByServer(bad);

        await queue.OfferAsync(ByteString.FromString("after"));
        queue.Complete();
        Assert.Equal("before after", (await goodReply.WaitAsync(s_wait)).ToString());
        await binding.Unbind();
    }

    [Theory]
    [InlineData("expired", TlsFailureReason.CertificateExpired)]
    [InlineData("wrong-host", TlsFailureReason.CertificateNameMismatch)]
    [InlineData("untrusted", TlsFailureReason.CertificateUntrusted)]
    public async Task Client_refuses_a_bad_server_certificate_naming_why(string kind, TlsFailureReason reason)
    {
        var cert = kind switch
        {
            "expired" => Certs.Expired("localhost"),
            "wrong-host" => Certs.Leaf("elsewhere.test"),
            _ => Certs.Untrusted("localhost"),
        };
        var sessions = new List<Task<TlsSessionInfo>>();
        var server = new TlsServerOptions(TlsCertificate.FromCertificate(cert)) { Settings = TlsSettings.Default with { OcspStapling = false } };
        var binding = await ServeAsync(server, Flow.Create<ByteString>(), sessions);

        var (session, reply) = RunClient(Certs.ClientOptions("localhost"), binding, [[1]]);
        var error = await Assert.ThrowsAsync<TlsException>(() => session.WaitAsync(s_wait));
        Assert.True(error.Reason == reason, error.Message);
        await Assert.ThrowsAsync<TlsException>(() => reply.WaitAsync(s_wait));
        await binding.Unbind();
    }

    [Fact]
    public async Task A_client_that_never_speaks_is_cut_at_the_handshake_timeout()
    {
        var sessions = new List<Task<TlsSessionInfo>>();
        var options = Certs.ServerOptions("localhost") with { Settings = TlsSettings.Default with { OcspStapling = false, HandshakeTimeout = TimeSpan.FromMilliseconds(500) } };
        var binding = await ServeAsync(options, Flow.Create<ByteString>(), sessions);

        using var silent = PlainSocket.Connect(EndPointOf(binding));
        var error = await Assert.ThrowsAsync<TlsException>(() => OnlySession(sessions));
        Assert.Equal(TlsFailureReason.HandshakeTimeout, error.Reason);
        AssertClosedByServer(silent);
        await binding.Unbind();
    }

    [Fact]
    public async Task A_server_that_never_answers_is_cut_at_the_handshake_timeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = listener.AcceptSocketAsync();
        var client = Certs.ClientOptions("localhost") with { Settings = TlsSettings.Default with { HandshakeTimeout = TimeSpan.FromMilliseconds(500) } };

        var (session, reply) = RunClient(client, listener.LocalEndpoint, [[1]]);
        using var socket = await accepted.WaitAsync(s_wait);
        var error = await Assert.ThrowsAsync<TlsException>(() => session.WaitAsync(s_wait));
        Assert.Equal(TlsFailureReason.HandshakeTimeout, error.Reason);
        await Assert.ThrowsAsync<TlsException>(() => reply.WaitAsync(s_wait));
    }

    [Fact]
    public async Task A_peer_closing_mid_handshake_fails_with_PeerClosed()
    {
        var sessions = new List<Task<TlsSessionInfo>>();
        var binding = await ServeAsync(Certs.ServerOptions("localhost"), Flow.Create<ByteString>(), sessions);

        using (var quitter = PlainSocket.Connect(EndPointOf(binding)))
        {
            // The start of a handshake record (type 22, TLS 1.0 record version, 512 bytes) and no more.
            quitter.Send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00]);
            quitter.Shutdown(SocketShutdown.Send);
            var error = await Assert.ThrowsAsync<TlsException>(() => OnlySession(sessions));
            Assert.True(error.Reason == TlsFailureReason.PeerClosed, error.Message);
        }

        await binding.Unbind();
    }

    /// <summary>The session of the <paramref name="index"/>th accepted connection.</summary>
    private static async Task<TlsSessionInfo> SessionAt(List<Task<TlsSessionInfo>> sessions, int index)
    {
        var deadline = DateTime.UtcNow + s_wait;
        while (true)
        {
            Task<TlsSessionInfo>? task;
            lock (sessions) task = sessions.Count > index ? sessions[index] : null;
            if (task is not null) return await task.WaitAsync(s_wait);
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the server accepted fewer than {index + 1} connections");
            await Task.Delay(20);
        }
    }

    /// <summary>The server closed <paramref name="socket"/>: reads end (FIN) or fail (reset), and never hang.</summary>
    private static void AssertClosedByServer(Socket socket)
    {
        socket.ReceiveTimeout = 10_000;
        var buffer = new byte[4096];
        try
        {
            while (socket.Receive(buffer) > 0)
            {
                // An alert may come before the FIN.
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            // A reset also closes it.
        }
    }
}
