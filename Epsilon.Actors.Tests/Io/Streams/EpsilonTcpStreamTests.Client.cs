using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using StreamTcp = Akka.Streams.Dsl.Tcp;

namespace Epsilon.Actors.Tests.Io.Streams;

/// <summary>Outgoing connections (<c>OutgoingConnection</c>) against plain listening sockets.</summary>
public abstract partial class EpsilonTcpStreamTests
{
    private static Socket Listen(int backlog = 16)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(backlog);
        return listener;
    }

    private (Task<StreamTcp.OutgoingConnection> Connected, TestPublisher.Probe<ByteString> Up, TestSubscriber.Probe<ByteString> Down) Connect(
        EndPoint remote, TimeSpan? connectTimeout = null, bool halfClose = true, TimeSpan? idleTimeout = null)
    {
        var ((up, connected), down) = this.SourceProbe<ByteString>()
            .ViaMaterialized(Streams.OutgoingConnection(remote, halfClose: halfClose, connectTimeout: connectTimeout, idleTimeout: idleTimeout), Keep.Both)
            .ToMaterialized(this.SinkProbe<ByteString>(), Keep.Both)
            .Run(Materializer);
        return (connected, up, down);
    }

    [SkippableFact]
    public void Outgoing_connection_exchanges_bytes_and_materializes_its_addresses()
    {
        RequireBackend();
        using var listener = Listen();
        var (connected, up, down) = Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        Assert.True(connected.Wait(s_wait));
        Assert.Equal(listener.LocalEndPoint, connected.Result.RemoteAddress);
        Assert.Equal(((IPEndPoint)server.RemoteEndPoint!).Port, ((IPEndPoint)connected.Result.LocalAddress).Port);

        up.SendNext(ByteString.FromString("ping"));
        Assert.Equal("ping", Encoding.ASCII.GetString(server.ReceiveExactly(4)));
        server.Send("pong"u8);
        down.Request(1);
        Assert.Equal("pong", Text(down.ExpectNext(s_wait)));

        // Default half-close: our completion sends FIN, the answer is still read until the server's.
        up.SendComplete();
        Assert.Equal(0, server.Receive(new byte[4]));
        server.Send("after"u8);
        server.Shutdown(SocketShutdown.Send);
        down.Request(10);
        Assert.Equal("after", Text(down.ExpectNext(s_wait)));
        down.ExpectComplete();
    }

    [SkippableFact]
    public void Outgoing_connection_with_no_input_reads_the_server_until_it_closes()
    {
        RequireBackend();
        using var listener = Listen();
        var received = Source.Empty<ByteString>()
            .Via(Streams.OutgoingConnection("localhost", ((IPEndPoint)listener.LocalEndPoint!).Port))
            .RunAggregate(ByteString.Empty, (all, b) => all.Concat(b), Materializer);
        using var server = listener.Accept();
        server.ReceiveTimeout = 10_000;
        Assert.Equal(0, server.Receive(new byte[4])); // the client's FIN: it has nothing to say
        server.Send("banner"u8);
        server.Shutdown(SocketShutdown.Send);
        Assert.True(received.Wait(s_wait));
        Assert.Equal("banner", Text(received.Result));
    }

    [SkippableFact]
    public void Refused_connect_fails_the_flow_and_the_materialized_connection_with_the_cause()
    {
        RequireBackend();
        var (connected, _, down) = Connect(new IPEndPoint(IPAddress.Loopback, PlainSocket.FreePort()));
        var error = down.ExpectSubscriptionAndError();
        var tcp = Assert.IsType<StreamTcpException>(error);
        Assert.IsType<ConnectException>(tcp.InnerException);
        Assert.Contains("refused", tcp.Message, StringComparison.OrdinalIgnoreCase);
        var failed = Assert.ThrowsAny<AggregateException>(() => connected.Wait(s_wait));
        Assert.Same(tcp, failed.InnerException);
    }

    [SkippableFact]
    public void Connect_timeout_fails_the_flow_with_the_cause()
    {
        RequireBackend();
        // A listener that never accepts and whose accept queue is full: the kernel drops further
        // SYNs on loopback, so a connect to it stays pending until our timeout fires.
        using var stalled = Listen(backlog: 0);
        var fillers = new List<Socket>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
                try { s.Connect(stalled.LocalEndPoint!); } catch (SocketException) { }
                fillers.Add(s);
            }

            Thread.Sleep(200);
            var (connected, _, down) = Connect(stalled.LocalEndPoint!, connectTimeout: TimeSpan.FromMilliseconds(500));
            var tcp = Assert.IsType<StreamTcpException>(down.ExpectSubscriptionAndError());
            Assert.IsType<ConnectException>(tcp.InnerException);
            Assert.Contains("timeout", tcp.Message, StringComparison.OrdinalIgnoreCase);
            Assert.ThrowsAny<AggregateException>(() => connected.Wait(s_wait));
        }
        finally
        {
            foreach (var s in fillers) s.Dispose();
        }
    }

    [SkippableFact]
    public void Outgoing_idle_timeout_fails_with_a_TimeoutException()
    {
        RequireBackend();
        using var listener = Listen();
        var (connected, _, down) = Connect(listener.LocalEndPoint!, idleTimeout: TimeSpan.FromMilliseconds(500));
        using var server = listener.Accept();
        server.ReceiveTimeout = 10_000;
        Assert.True(connected.Wait(s_wait));
        down.Request(1);
        Assert.IsType<TcpIdleTimeoutException>(down.ExpectError());
        AssertEndOfStream(server);
    }

    [SkippableFact]
    public void Server_reset_fails_the_outgoing_flow()
    {
        RequireBackend();
        using var listener = Listen();
        var (connected, _, down) = Connect(listener.LocalEndPoint!);
        var server = listener.Accept();
        Assert.True(connected.Wait(s_wait));
        down.Request(1);
        server.Reset();
        var tcp = Assert.IsType<StreamTcpException>(down.ExpectError());
        Assert.Contains("reset", tcp.Message, StringComparison.OrdinalIgnoreCase);
    }
}
