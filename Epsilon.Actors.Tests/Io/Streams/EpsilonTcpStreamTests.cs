using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Epsilon.Actors.Io;
using Epsilon.Actors.Io.Streams;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;
using AkkaTestKit = Akka.TestKit.Xunit2.TestKit;
using StreamTcp = Akka.Streams.Dsl.Tcp;

namespace Epsilon.Actors.Tests.Io.Streams;

/// <summary>
/// Akka.Streams TCP on Epsilon's loops (<c>system.EpsilonTcpStream()</c>) over real loopback
/// sockets, with plain System.Net.Sockets peers. One subclass per backend runs every case; the
/// close, client, load and framing cases are in the partial files beside this one.
/// </summary>
[Trait("Category", "Loopback")]
public abstract partial class EpsilonTcpStreamTests : AkkaTestKit
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    protected EpsilonTcpStreamTests(string backend, string trigger, ITestOutputHelper output)
        : base(EpsilonTestConfig.For(backend, trigger, """
            epsilon.io.tcp.register-timeout = 30s
            epsilon.io.tcp.batch-accept-limit = 4
            epsilon.io.tcp-stream.bind-shutdown-timeout = 300ms
            """), output: output)
    {
        Backend = backend;
        Materializer = Sys.Materializer();
    }

    protected string Backend { get; }

    protected ActorMaterializer Materializer { get; }

    protected EpsilonTcpStreamExt Streams => Sys.EpsilonTcpStream();

    protected void RequireBackend() =>
        Skip.If(Backend == "epoll" && !OperatingSystem.IsLinux(), "the epoll backend needs Linux");

    private (StreamTcp.ServerBinding Binding, TestSubscriber.Probe<StreamTcp.IncomingConnection> Connections) Bind(
        bool halfClose = false, TimeSpan? idleTimeout = null, int backlog = 100)
    {
        var (bindingTask, connections) = Streams.Bind("127.0.0.1", 0, backlog, halfClose: halfClose, idleTimeout: idleTimeout)
            .ToMaterialized(this.SinkProbe<StreamTcp.IncomingConnection>(), Keep.Both)
            .Run(Materializer);
        Assert.True(bindingTask.Wait(s_wait), "bind did not complete");
        return (bindingTask.Result, connections);
    }

    /// <summary>An accepted connection whose flow runs between two probes, with its plain client.</summary>
    private (TestPublisher.Probe<ByteString> Up, TestSubscriber.Probe<ByteString> Down, Socket Client) Accepted(
        bool halfClose = false, TimeSpan? idleTimeout = null, Func<Flow<ByteString, ByteString, NotUsed>, Flow<ByteString, ByteString, NotUsed>>? wrap = null)
    {
        var (binding, connections) = Bind(halfClose, idleTimeout);
        connections.Request(1);
        var client = PlainSocket.Connect(binding.LocalAddress);
        var connection = connections.ExpectNext(s_wait);
        Assert.Equal(((IPEndPoint)client.LocalEndPoint!).Port, ((IPEndPoint)connection.RemoteAddress).Port);
        Assert.Equal(binding.LocalAddress, connection.LocalAddress);
        var flow = wrap is null ? connection.Flow : wrap(connection.Flow);
        var (up, down) = this.SourceProbe<ByteString>()
            .ViaMaterialized(flow, Keep.Left)
            .ToMaterialized(this.SinkProbe<ByteString>(), Keep.Both)
            .Run(Materializer);
        return (up, down, client);
    }

    private static string Text(ByteString bytes) => bytes.ToString(Encoding.ASCII);

    private static void AssertEndOfStream(Socket socket)
    {
        try
        {
            Assert.Equal(0, socket.Receive(new byte[16]));
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            // A reset ends the stream too (a close with unread input sends one).
        }
    }

    [SkippableFact]
    public void Exchanges_bytes_with_a_plain_socket_client()
    {
        RequireBackend();
        var (up, down, client) = Accepted();
        using var _ = client;
        client.Send("hello"u8);
        down.Request(1);
        Assert.Equal("hello", Text(down.ExpectNext(s_wait)));
        up.SendNext(ByteString.FromString("world"));
        Assert.Equal("world", Encoding.ASCII.GetString(client.ReceiveExactly(5)));
    }

    [SkippableFact]
    public void Binds_a_host_name_resolved_when_materialized()
    {
        RequireBackend();
        var (bindingTask, connections) = Streams.Bind("localhost", 0)
            .ToMaterialized(this.SinkProbe<StreamTcp.IncomingConnection>(), Keep.Both)
            .Run(Materializer);
        Assert.True(bindingTask.Wait(s_wait));
        var local = (IPEndPoint)bindingTask.Result.LocalAddress;
        Assert.True(IPAddress.IsLoopback(local.Address), $"bound {local}");
        connections.Request(1);
        using var client = PlainSocket.Connect(local);
        connections.ExpectNext(s_wait);
    }

    [SkippableFact]
    public void Reads_only_when_downstream_pulls_one_read_per_pull()
    {
        RequireBackend();
        var (_, down, client) = Accepted();
        using var _ = client;
        client.Send("one"u8);
        down.Request(1);
        Assert.Equal("one", Text(down.ExpectNext(s_wait)));

        // Sent apart with no demand: had the server read ahead, "two" and "three" would have been
        // two reads and so two elements. Unread, they wait in the kernel and one pull reads both.
        client.Send("two"u8);
        Thread.Sleep(200);
        client.Send("three"u8);
        Thread.Sleep(200);
        down.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        down.Request(1);
        Assert.Equal("twothree", Text(down.ExpectNext(s_wait)));
        down.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [SkippableFact]
    public void Stalled_consumer_stops_the_server_reading_while_the_peer_keeps_writing()
    {
        RequireBackend();
        long read = 0;
        var (_, down, client) = Accepted(wrap: flow => flow.Select(b =>
        {
            Interlocked.Add(ref read, b.Count);
            return b;
        }));
        using var _ = client;
        down.Request(1);

        // The peer writes as fast as it can until the kernel pushes back (not writable for a
        // second), with a cap far above any socket buffer. Non-blocking, so partial sends count.
        client.Blocking = false;
        var chunk = PlainSocket.Pattern(64 * 1024);
        long sent = 0;
        const long cap = 256L * 1024 * 1024;
        var blocked = false;
        while (sent < cap)
        {
            try
            {
                sent += client.Send(chunk);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.WouldBlock)
            {
                if (client.Poll(1_000_000, SelectMode.SelectWrite)) continue;
                blocked = true;
                break;
            }
        }

        client.Blocking = true;

        Assert.True(blocked, $"the peer wrote {sent} bytes without being slowed: the server kept reading");
        down.ExpectNext(s_wait);
        var first = Interlocked.Read(ref read);
        Assert.InRange(first, 1, 64 * 1024); // one pull, one read of at most receive-buffer-size
        Thread.Sleep(500);
        Assert.Equal(first, Interlocked.Read(ref read));

        // Demand again: everything the peer wrote arrives, and nothing more.
        down.Request(long.MaxValue);
        var total = first;
        while (total < sent) total += down.ExpectNext(s_wait).Count;
        Assert.Equal(sent, total);
    }

    [SkippableFact]
    public void Upstream_is_pulled_only_as_the_socket_drains()
    {
        RequireBackend();
        var (binding, connections) = Bind();
        connections.Request(1);
        using var client = PlainSocket.Connect(binding.LocalAddress);
        var connection = connections.ExpectNext(s_wait);
        const int chunkSize = 256 * 1024;
        var chunk = ByteString.FromBytes(PlainSocket.Pattern(chunkSize));
        long pulled = 0;
        Source.Repeat(chunk)
            .Select(c =>
            {
                Interlocked.Increment(ref pulled);
                return c;
            })
            .Via(connection.Flow)
            .RunWith(Sink.Ignore<ByteString>(), Materializer);
        AwaitCondition(() => Interlocked.Read(ref pulled) > 0, s_wait);

        // The client reads nothing: once the kernel's buffers are full, no write is acknowledged
        // and no further element is pulled.
        long previous;
        var current = Interlocked.Read(ref pulled);
        do
        {
            previous = current;
            Thread.Sleep(500);
            current = Interlocked.Read(ref pulled);
        }
        while (current != previous);
        Assert.InRange(current * chunkSize, 1, 64L * 1024 * 1024);

        // Reading lets writes complete, and pulling resumes.
        var target = (current + 8) * chunkSize;
        var drained = 0L;
        var buffer = new byte[chunkSize];
        while (Interlocked.Read(ref pulled) < current + 4 && drained < target)
        {
            var n = client.Receive(buffer);
            Assert.True(n > 0);
            drained += n;
        }

        Assert.True(Interlocked.Read(ref pulled) >= current + 4, $"pulled {Interlocked.Read(ref pulled)} after draining {drained} bytes");
    }

    [SkippableFact]
    public void Unpulled_connection_source_accepts_nothing()
    {
        RequireBackend();
        var (binding, _) = Bind();
        var io = EpsilonIo.For(Sys);
        AwaitCondition(() => io.RegisteredSocketsPerLoop.Sum() >= 1, s_wait); // the listener
        var registered = io.RegisteredSocketsPerLoop.Sum();

        // The kernel completes the handshakes from its backlog, but nothing is accepted.
        using var a = PlainSocket.Connect(binding.LocalAddress);
        using var b = PlainSocket.Connect(binding.LocalAddress);
        Thread.Sleep(500);
        Assert.Equal(registered, io.RegisteredSocketsPerLoop.Sum());
    }

    [SkippableFact]
    public void Connection_source_accepts_at_most_batch_accept_limit_ahead_of_its_pulls_and_emits_every_one()
    {
        RequireBackend();
        var (binding, connections) = Bind();
        var io = EpsilonIo.For(Sys);
        AwaitCondition(() => io.RegisteredSocketsPerLoop.Sum() >= 1, s_wait);
        var listenerOnly = io.RegisteredSocketsPerLoop.Sum();
        var clients = Enumerable.Range(0, 10).Select(_ => PlainSocket.Connect(binding.LocalAddress)).ToArray();
        try
        {
            connections.Request(1);
            var first = connections.ExpectNext(s_wait);

            // batch-accept-limit = 4 (this class's configuration): the emitted one and three ahead.
            AwaitCondition(() => io.RegisteredSocketsPerLoop.Sum() == listenerOnly + 4, s_wait);
            connections.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
            Assert.Equal(listenerOnly + 4, io.RegisteredSocketsPerLoop.Sum());

            connections.Request(9);
            var ports = new[] { first }.Concat(Enumerable.Range(0, 9).Select(_ => connections.ExpectNext(s_wait)))
                .Select(c => ((IPEndPoint)c.RemoteAddress).Port).ToHashSet();
            // Accepted connections start on different loops, so they are emitted in the order they come up.
            Assert.Equal(clients.Select(c => ((IPEndPoint)c.LocalEndPoint!).Port).ToHashSet(), ports);
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }

    [SkippableFact]
    public void Unbind_resets_connections_accepted_ahead_and_never_emitted()
    {
        RequireBackend();
        var (binding, connections) = Bind();
        using var a = PlainSocket.Connect(binding.LocalAddress);
        using var b = PlainSocket.Connect(binding.LocalAddress, receiveTimeoutMs: 5000);
        connections.Request(1);
        connections.ExpectNext(s_wait);
        Assert.True(binding.Unbind().Wait(s_wait));

        // b was accepted ahead of a pull that never came: it is reset, not left to its register timeout.
        var buffer = new byte[1];
        var started = DateTime.UtcNow;
        try
        {
            Assert.Equal(0, b.Receive(buffer));
        }
        catch (SocketException e)
        {
            Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
        }

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(4), "the connection waited instead of being reset");
    }

    [SkippableFact]
    public void Unbind_stops_accepting_and_completes_the_source()
    {
        RequireBackend();
        var (binding, connections) = Bind();
        connections.Request(1);
        Assert.True(binding.Unbind().Wait(s_wait));
        connections.ExpectComplete();
        var ex = Assert.Throws<SocketException>(() => PlainSocket.Connect(binding.LocalAddress).Dispose());
        Assert.Equal(SocketError.ConnectionRefused, ex.SocketErrorCode);
    }

    [SkippableFact]
    public void Unbind_resets_connections_still_unmaterialized_after_the_bind_shutdown_timeout()
    {
        RequireBackend();
        var (binding, connections) = Bind();
        connections.Request(1);
        using var client = PlainSocket.Connect(binding.LocalAddress, receiveTimeoutMs: 20_000);
        connections.ExpectNext(s_wait); // emitted, never materialized
        Assert.True(binding.Unbind().Wait(s_wait));
        connections.ExpectComplete();
        // Reset by the source (300 ms here), long before the register timeout (30 s here).
        var ex = Assert.Throws<SocketException>(() => client.Receive(new byte[1]));
        Assert.Equal(SocketError.ConnectionReset, ex.SocketErrorCode);
    }

    [SkippableFact]
    public void Unbind_waits_for_emitted_connections_and_leaves_materialized_ones_open()
    {
        RequireBackend();
        var (binding, connections) = Bind();
        connections.Request(1);
        using var client = PlainSocket.Connect(binding.LocalAddress);
        var connection = connections.ExpectNext(s_wait);
        Assert.True(binding.Unbind().Wait(s_wait));
        connection.Flow.Join(Flow.Create<ByteString>()).Run(Materializer);
        connections.ExpectComplete();
        client.Send("after unbind"u8);
        Assert.Equal("after unbind", Encoding.ASCII.GetString(client.ReceiveExactly(12)));
    }

    [SkippableFact]
    public void Cancelling_the_source_unbinds()
    {
        RequireBackend();
        var (binding, connections) = Bind();
        connections.Cancel();
        AwaitAssert(() =>
        {
            var ex = Assert.Throws<SocketException>(() => PlainSocket.Connect(binding.LocalAddress).Dispose());
            Assert.Equal(SocketError.ConnectionRefused, ex.SocketErrorCode);
        }, s_wait, TimeSpan.FromMilliseconds(100));
    }

    [SkippableFact]
    public void Bind_to_a_port_in_use_fails_the_binding_and_the_source_with_the_cause()
    {
        RequireBackend();
        var (binding, _) = Bind();
        var port = ((IPEndPoint)binding.LocalAddress).Port;
        var (bindingTask, connections) = Streams.Bind("127.0.0.1", port)
            .ToMaterialized(this.SinkProbe<StreamTcp.IncomingConnection>(), Keep.Both)
            .Run(Materializer);
        var error = connections.ExpectSubscriptionAndError();
        var tcp = Assert.IsType<StreamTcpException>(error);
        Assert.Equal(SocketError.AddressAlreadyInUse, Assert.IsType<SocketException>(tcp.InnerException).SocketErrorCode);
        var failed = Assert.ThrowsAny<AggregateException>(() => bindingTask.Wait(s_wait));
        Assert.Same(tcp, failed.InnerException);
    }

    [SkippableFact]
    public void An_incoming_connection_flow_materializes_once()
    {
        RequireBackend();
        var (binding, connections) = Bind();
        connections.Request(1);
        using var client = PlainSocket.Connect(binding.LocalAddress);
        var connection = connections.ExpectNext(s_wait);
        connection.Flow.Join(Flow.Create<ByteString>()).Run(Materializer);
        Assert.ThrowsAny<Exception>(() => connection.Flow.Join(Flow.Create<ByteString>()).Run(Materializer));
        client.Send("still echoed"u8);
        Assert.Equal("still echoed", Encoding.ASCII.GetString(client.ReceiveExactly(12)));
    }
}
