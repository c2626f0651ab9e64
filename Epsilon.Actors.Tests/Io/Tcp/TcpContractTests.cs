using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.IO;
using Akka.TestKit;
using Epsilon.Actors.Io;
using Epsilon.Actors.Io.Tcp;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;
using AkkaTestKit = Akka.TestKit.Xunit2.TestKit;

namespace Epsilon.Actors.Tests.Io.Tcp;

/// <summary>
/// Akka.IO's TCP protocol, message by message, over real loopback sockets with plain
/// System.Net.Sockets peers. One subclass per backend runs every case; the close and write-limit
/// cases are in the partial files beside this one.
/// </summary>
[Trait("Category", "Loopback")]
public abstract partial class TcpContractTests : AkkaTestKit
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    protected TcpContractTests(string backend, string trigger, ITestOutputHelper output)
        : base(EpsilonTestConfig.For(backend, trigger), output: output)
    {
        Backend = backend;
    }

    protected string Backend { get; }

    protected IActorRef Manager => Sys.EpsilonTcp();

    protected void RequireBackend() =>
        Skip.If(Backend == "epoll" && !OperatingSystem.IsLinux(), "the epoll backend needs Linux");

    private (IActorRef Listener, IPEndPoint EndPoint) Bind(IActorRef handler, IPAddress? address = null, bool pullMode = false,
        IEnumerable<Inet.SocketOption>? options = null, int port = 0)
    {
        var commander = CreateTestProbe();
        Manager.Tell(new Akka.IO.Tcp.Bind(handler, new IPEndPoint(address ?? IPAddress.Loopback, port), options: options, pullMode: pullMode), commander.Ref);
        var bound = commander.ExpectMsg<Akka.IO.Tcp.Bound>(s_wait);
        return (commander.LastSender, (IPEndPoint)bound.LocalAddress);
    }

    private static IActorRef AcceptAndRegister(TestProbe handler, bool keepOpenOnPeerClosed = false, bool useResumeWriting = true)
    {
        handler.ExpectMsg<Akka.IO.Tcp.Connected>(s_wait);
        var connection = handler.LastSender;
        connection.Tell(new Akka.IO.Tcp.Register(handler.Ref, keepOpenOnPeerClosed, useResumeWriting), handler.Ref);
        return connection;
    }

    /// <summary>A server-side connection registered to a new probe, with its plain client.</summary>
    private (TestProbe Handler, Socket Client, IActorRef Connection) Accepted(bool keepOpenOnPeerClosed = false, int receiveTimeoutMs = 10_000, bool register = true)
    {
        var handler = CreateTestProbe();
        var (_, endPoint) = Bind(handler.Ref);
        var client = PlainSocket.Connect(endPoint, receiveTimeoutMs);
        if (register) return (handler, client, AcceptAndRegister(handler, keepOpenOnPeerClosed));
        handler.ExpectMsg<Akka.IO.Tcp.Connected>(s_wait);
        return (handler, client, handler.LastSender);
    }

    private static byte[] ReceiveBytes(TestProbe probe, int count)
    {
        var result = new byte[count];
        var read = 0;
        while (read < count)
        {
            var received = probe.ExpectMsg<Akka.IO.Tcp.Received>(s_wait);
            received.Data.CopyTo(result, read, received.Data.Count);
            read += received.Data.Count;
        }

        return result;
    }

    private static void AssertReset(Socket socket)
    {
        var ex = Assert.Throws<SocketException>(() => socket.Receive(new byte[1]));
        Assert.Equal(SocketError.ConnectionReset, ex.SocketErrorCode);
    }

    [SkippableFact]
    public void Binds_and_exchanges_data_with_a_plain_socket_client()
    {
        RequireBackend();
        var handler = CreateTestProbe();
        var (_, endPoint) = Bind(handler.Ref);
        Assert.NotEqual(0, endPoint.Port);

        using var client = PlainSocket.Connect(endPoint);
        var connected = handler.ExpectMsg<Akka.IO.Tcp.Connected>(s_wait);
        Assert.Equal(((IPEndPoint)client.LocalEndPoint!).Port, ((IPEndPoint)connected.RemoteAddress).Port);
        Assert.Equal(endPoint, connected.LocalAddress);
        var connection = handler.LastSender;
        connection.Tell(new Akka.IO.Tcp.Register(handler.Ref), handler.Ref);

        client.Send("hello"u8.ToArray());
        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(ReceiveBytes(handler, 5)));

        connection.Tell(Akka.IO.Tcp.Write.Create(ByteString.FromString("world"), new AckToken(1)), handler.Ref);
        handler.ExpectMsg<AckToken>(a => a.Id == 1, s_wait);
        Assert.Equal("world", System.Text.Encoding.ASCII.GetString(client.ReceiveExactly(5)));
    }

    [SkippableFact]
    public void Bind_to_a_port_in_use_fails_with_CommandFailed()
    {
        RequireBackend();
        var (_, endPoint) = Bind(CreateTestProbe().Ref);
        var commander = CreateTestProbe();
        var bind = new Akka.IO.Tcp.Bind(CreateTestProbe().Ref, endPoint);
        Manager.Tell(bind, commander.Ref);
        var failed = commander.ExpectMsg<Akka.IO.Tcp.CommandFailed>(s_wait);
        Assert.Same(bind, failed.Cmd);
        var cause = Assert.IsType<SocketException>(failed.Cause.Value);
        Assert.Equal(SocketError.AddressAlreadyInUse, cause.SocketErrorCode);
    }

    [SkippableFact]
    public void Bind_to_a_host_name_fails_with_CommandFailed_and_the_manager_keeps_working()
    {
        RequireBackend();
        var commander = CreateTestProbe();
        var bind = new Akka.IO.Tcp.Bind(CreateTestProbe().Ref, new DnsEndPoint("localhost", 0));
        Manager.Tell(bind, commander.Ref);
        var failed = commander.ExpectMsg<Akka.IO.Tcp.CommandFailed>(s_wait);
        Assert.Same(bind, failed.Cmd);
        Assert.Contains("IP endpoint", failed.Cause.Value.Message);
        Bind(CreateTestProbe().Ref);
    }

    [SkippableFact]
    public void Connect_to_an_unsupported_endpoint_type_fails_with_CommandFailed()
    {
        RequireBackend();
        var commander = CreateTestProbe();
        var connect = new Akka.IO.Tcp.Connect(new UnixDomainSocketEndPoint("/tmp/epsilon-not-a-tcp-endpoint"));
        Manager.Tell(connect, commander.Ref);
        var failed = commander.ExpectMsg<Akka.IO.Tcp.CommandFailed>(s_wait);
        Assert.Same(connect, failed.Cmd);
        Assert.Contains("unsupported endpoint", failed.Cause.Value.Message);
    }

    [SkippableFact]
    public void Connects_to_a_plain_TcpListener_and_exchanges_data()
    {
        RequireBackend();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var commander = CreateTestProbe();
        Manager.Tell(new Akka.IO.Tcp.Connect(listener.LocalEndpoint), commander.Ref);
        using var accepted = listener.AcceptSocket();
        accepted.ReceiveTimeout = 10_000;
        var connected = commander.ExpectMsg<Akka.IO.Tcp.Connected>(s_wait);
        Assert.Equal(listener.LocalEndpoint, connected.RemoteAddress);
        var connection = commander.LastSender;
        connection.Tell(new Akka.IO.Tcp.Register(commander.Ref), commander.Ref);

        connection.Tell(Akka.IO.Tcp.Write.Create(ByteString.FromString("ping")), commander.Ref);
        Assert.Equal("ping", System.Text.Encoding.ASCII.GetString(accepted.ReceiveExactly(4)));
        accepted.Send("pong"u8.ToArray());
        Assert.Equal("pong", System.Text.Encoding.ASCII.GetString(ReceiveBytes(commander, 4)));
    }

    [SkippableFact]
    public void Connects_by_host_name()
    {
        RequireBackend();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var commander = CreateTestProbe();
        Manager.Tell(new Akka.IO.Tcp.Connect(new DnsEndPoint("localhost", ((IPEndPoint)listener.LocalEndpoint).Port)), commander.Ref);
        using var accepted = listener.AcceptSocket();
        commander.ExpectMsg<Akka.IO.Tcp.Connected>(s_wait);
    }

    [SkippableFact]
    public void Refused_connection_fails_with_CommandFailed_naming_the_cause()
    {
        RequireBackend();
        var commander = CreateTestProbe();
        var connect = new Akka.IO.Tcp.Connect(new IPEndPoint(IPAddress.Loopback, PlainSocket.FreePort()));
        Manager.Tell(connect, commander.Ref);
        var failed = commander.ExpectMsg<Akka.IO.Tcp.CommandFailed>(s_wait);
        Assert.Same(connect, failed.Cmd);
        Assert.IsType<ConnectException>(failed.Cause.Value);
        Assert.Contains("refused", failed.Cause.Value.Message, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public void Connect_timeout_fails_with_CommandFailed()
    {
        RequireBackend();
        // A listener that never accepts and whose accept queue is full: the kernel drops further
        // SYNs on loopback, so a connect to it stays pending until our timeout fires.
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        stalled.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        stalled.Listen(0);
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
            var commander = CreateTestProbe();
            var connect = new Akka.IO.Tcp.Connect(stalled.LocalEndPoint!, timeout: TimeSpan.FromMilliseconds(500));
            Manager.Tell(connect, commander.Ref);
            var failed = commander.ExpectMsg<Akka.IO.Tcp.CommandFailed>(s_wait);
            Assert.Same(connect, failed.Cmd);
            Assert.Contains("timeout", failed.Cause.Value.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            foreach (var s in fillers) s.Dispose();
        }
    }

    [SkippableFact]
    public void Acks_writes_in_order_and_sends_NoAck_writes_silently()
    {
        RequireBackend();
        var (handler, client, connection) = Accepted();
        using var _ = client;

        connection.Tell(Akka.IO.Tcp.Write.Create(ByteString.FromString("a"), new AckToken(1)), handler.Ref);
        connection.Tell(Akka.IO.Tcp.Write.Create(ByteString.FromString("b"), new Akka.IO.Tcp.NoAck("token")), handler.Ref);
        connection.Tell(Akka.IO.Tcp.Write.Create(ByteString.Empty, new AckToken(2)), handler.Ref);
        var compound = Akka.IO.Tcp.WriteCommand.Create(
            Akka.IO.Tcp.Write.Create(ByteString.FromString("c"), new AckToken(3)),
            Akka.IO.Tcp.Write.Create(ByteString.FromString("d")),
            Akka.IO.Tcp.Write.Create(ByteString.FromString("e"), new AckToken(4)));
        connection.Tell(compound, handler.Ref);

        Assert.Equal(1, handler.ExpectMsg<AckToken>(s_wait).Id);
        Assert.Equal(2, handler.ExpectMsg<AckToken>(s_wait).Id);
        Assert.Equal(3, handler.ExpectMsg<AckToken>(s_wait).Id);
        Assert.Equal(4, handler.ExpectMsg<AckToken>(s_wait).Id);
        handler.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal("abcde", System.Text.Encoding.ASCII.GetString(client.ReceiveExactly(5)));
    }

    [SkippableFact]
    public void Pull_mode_delivers_one_Received_per_ResumeReading()
    {
        RequireBackend();
        var handler = CreateTestProbe();
        var (listener, endPoint) = Bind(handler.Ref, pullMode: true);
        listener.Tell(new Akka.IO.Tcp.ResumeAccepting(1));
        using var client = PlainSocket.Connect(endPoint);
        var connection = AcceptAndRegister(handler);
        client.Send(new byte[100]);
        handler.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        connection.Tell(Akka.IO.Tcp.ResumeReading.Instance, handler.Ref);
        Assert.Equal(100, handler.ExpectMsg<Akka.IO.Tcp.Received>(s_wait).Data.Count);
        client.Send(new byte[50]);
        handler.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        connection.Tell(Akka.IO.Tcp.ResumeReading.Instance, handler.Ref);
        Assert.Equal(50, handler.ExpectMsg<Akka.IO.Tcp.Received>(s_wait).Data.Count);
        handler.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [SkippableFact]
    public void Pull_mode_listener_accepts_only_after_ResumeAccepting()
    {
        RequireBackend();
        var handler = CreateTestProbe();
        var (listener, endPoint) = Bind(handler.Ref, pullMode: true);
        using var a = PlainSocket.Connect(endPoint);
        using var b = PlainSocket.Connect(endPoint);
        using var c = PlainSocket.Connect(endPoint);
        handler.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        listener.Tell(new Akka.IO.Tcp.ResumeAccepting(2));
        handler.ExpectMsg<Akka.IO.Tcp.Connected>(s_wait);
        handler.ExpectMsg<Akka.IO.Tcp.Connected>(s_wait);
        handler.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        listener.Tell(new Akka.IO.Tcp.ResumeAccepting(1));
        handler.ExpectMsg<Akka.IO.Tcp.Connected>(s_wait);
    }

    [SkippableFact]
    public void SuspendReading_stops_Received_until_ResumeReading()
    {
        RequireBackend();
        var (handler, client, connection) = Accepted();
        using var _ = client;
        connection.Tell(Akka.IO.Tcp.SuspendReading.Instance, handler.Ref);
        handler.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        client.Send(new byte[10]);
        handler.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        connection.Tell(Akka.IO.Tcp.ResumeReading.Instance, handler.Ref);
        Assert.Equal(10, ReceiveBytes(handler, 10).Length);
    }

    [SkippableFact]
    public void Serves_a_client_that_connects_the_instant_Bound_arrives()
    {
        RequireBackend();
        for (var round = 0; round < 100; round++)
        {
            var handler = CreateTestProbe();
            var (listener, endPoint) = Bind(handler.Ref);
            using var client = PlainSocket.Connect(endPoint);
            client.Send([(byte)round]);
            var connection = AcceptAndRegister(handler);
            Assert.Equal((byte)round, ReceiveBytes(handler, 1)[0]);
            listener.Tell(Akka.IO.Tcp.Unbind.Instance, TestActor);
            ExpectMsg<Akka.IO.Tcp.Unbound>(s_wait);
            connection.Tell(Akka.IO.Tcp.Abort.Instance, handler.Ref);
        }
    }

    [SkippableFact]
    public void ReusePort_lets_two_listeners_share_a_port_and_both_serve()
    {
        RequireBackend();
        Skip.IfNot(OperatingSystem.IsLinux(), "SO_REUSEPORT load-balancing is tested on Linux");
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        var reuse = new[] { TcpOptions.ReusePort(true) };
        var (_, endPoint) = Bind(first.Ref, options: reuse);
        Bind(second.Ref, options: reuse, port: endPoint.Port);

        var clients = Enumerable.Range(0, 32).Select(_ => PlainSocket.Connect(endPoint)).ToList();
        try
        {
            var served = 0;
            foreach (var probe in new[] { first, second })
                served += probe.ReceiveWhile<Akka.IO.Tcp.Connected>(s_wait, TimeSpan.FromMilliseconds(500), m => (m as Akka.IO.Tcp.Connected)!).Count;
            Assert.Equal(32, served);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [SkippableFact]
    public void Works_over_IPv6_loopback()
    {
        RequireBackend();
        Skip.IfNot(Socket.OSSupportsIPv6, "this host has no IPv6");
        var server = Sys.ActorOf(Props.Create<EchoServerActor>());
        var (_, endPoint) = Bind(server, IPAddress.IPv6Loopback);
        Assert.Equal(AddressFamily.InterNetworkV6, endPoint.AddressFamily);

        var commander = CreateTestProbe();
        Manager.Tell(new Akka.IO.Tcp.Connect(endPoint), commander.Ref);
        commander.ExpectMsg<Akka.IO.Tcp.Connected>(s_wait);
        var connection = commander.LastSender;
        connection.Tell(new Akka.IO.Tcp.Register(commander.Ref), commander.Ref);
        connection.Tell(Akka.IO.Tcp.Write.Create(ByteString.FromString("over v6")), commander.Ref);
        Assert.Equal("over v6", System.Text.Encoding.ASCII.GetString(ReceiveBytes(commander, 7)));
    }

    [SkippableTheory]
    [InlineData(1024 * 1024)]
    [InlineData(64 * 1024 * 1024)]
    public async Task Echoes_large_transfers_byte_exact_to_a_plain_client(int size)
    {
        RequireBackend();
        var server = Sys.ActorOf(Props.Create<EchoServerActor>());
        var (_, endPoint) = Bind(server);
        using var client = PlainSocket.Connect(endPoint, receiveTimeoutMs: 30_000);
        var data = PlainSocket.Pattern(size, seed: size);
        var send = Task.Run(() =>
        {
            for (var offset = 0; offset < data.Length; offset += 256 * 1024)
                client.Send(data, offset, Math.Min(256 * 1024, data.Length - offset), SocketFlags.None);
        });
        var echoed = await Task.Run(() => client.ReceiveExactly(size));
        await send;
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(echoed));
    }

    [SkippableTheory]
    [InlineData(1024 * 1024)]
    [InlineData(64 * 1024 * 1024)]
    public void Uploads_and_downloads_large_transfers_byte_exact_from_an_outgoing_connection(int size)
    {
        RequireBackend();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var data = PlainSocket.Pattern(size, seed: size + 1);
        var commander = CreateTestProbe();
        Manager.Tell(new Akka.IO.Tcp.Connect(listener.LocalEndpoint), commander.Ref);
        using var peer = listener.AcceptSocket();
        peer.ReceiveTimeout = 30_000;
        commander.ExpectMsg<Akka.IO.Tcp.Connected>(s_wait);
        var connection = commander.LastSender;
        connection.Tell(new Akka.IO.Tcp.Register(commander.Ref), commander.Ref);

        // Upload: ack-paced 256 KiB writes; the plain peer reads everything.
        var upload = Task.Run(() => peer.ReceiveExactly(size));
        const int chunk = 256 * 1024;
        for (var offset = 0; offset < size; offset += chunk)
        {
            connection.Tell(Akka.IO.Tcp.Write.Create(ByteString.CopyFrom(data, offset, Math.Min(chunk, size - offset)), new AckToken(offset)), commander.Ref);
            commander.ExpectMsg<AckToken>(TimeSpan.FromSeconds(30));
        }

        Assert.True(upload.Wait(TimeSpan.FromSeconds(60)));
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(upload.Result));

        // Download: the plain peer sends it all back.
        var download = Task.Run(() => peer.Send(data));
        var received = new byte[size];
        var read = 0;
        while (read < size)
        {
            var r = commander.ExpectMsg<Akka.IO.Tcp.Received>(TimeSpan.FromSeconds(30));
            r.Data.CopyTo(received, read, r.Data.Count);
            read += r.Data.Count;
        }

        Assert.True(download.Wait(TimeSpan.FromSeconds(30)));
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(received));
    }

    [SkippableFact]
    public async Task Serves_1000_concurrent_connections_each_echoing_byte_exact()
    {
        RequireBackend();
        var server = Sys.ActorOf(Props.Create<EchoServerActor>());
        var (_, endPoint) = Bind(server);
        const int connections = 1000;
        var clients = new Socket[connections];
        try
        {
            for (var i = 0; i < connections; i++)
            {
                clients[i] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await clients[i].ConnectAsync(endPoint);
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var tasks = clients.Select(async (socket, i) =>
            {
                var payload = PlainSocket.Pattern(1024 + i, seed: i);
                await socket.SendAsync(payload, SocketFlags.None, cts.Token);
                var buffer = new byte[payload.Length];
                var read = 0;
                while (read < buffer.Length)
                {
                    var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cts.Token);
                    if (n == 0) throw new IOException($"connection {i} closed after {read} bytes");
                    read += n;
                }

                Assert.Equal(payload, buffer);
            });
            await Task.WhenAll(tasks);
        }
        finally
        {
            foreach (var c in clients) c?.Dispose();
        }
    }

}
