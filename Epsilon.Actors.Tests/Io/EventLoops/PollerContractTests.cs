using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Dispatch;
using Epsilon.Actors.Io.EventLoops;
using Xunit;

namespace Epsilon.Actors.Tests.Io.EventLoops;

/// <summary>
/// The <see cref="IPoller"/> and <see cref="LoopSocket"/> contract over real loopback sockets, one
/// subclass per backend. Sockets are driven only through Arm and Wait (see <see cref="PollerDriver"/>),
/// every wait is bounded, and elapsed time is asserted only against generous limits.
/// </summary>
[Trait("Category", "Loopback")]
public abstract partial class PollerContractTests
{
    /// <summary>Generous upper bound for anything that should happen "promptly".</summary>
    private static readonly TimeSpan s_prompt = TimeSpan.FromSeconds(5);

    /// <summary>Null when the backend runs on this host; otherwise why it cannot (the skip reason).</summary>
    private protected abstract string? UnavailableReason { get; }

    private protected abstract IoBackend CreateBackend();

    private PollerDriver Start()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        return new PollerDriver(CreateBackend());
    }

    [SkippableTheory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Connect_completes_through_Write_readiness_and_the_listener_accepts_after_Read_readiness(string address)
    {
        var ip = IPAddress.Parse(address);
        Skip.If(ip.AddressFamily == AddressFamily.InterNetworkV6 && !Socket.OSSupportsIPv6, "this host has no IPv6 loopback");
        using var driver = Start();
        var (listener, listenerToken, endPoint) = driver.Listen(ip);
        Assert.Equal(ip, endPoint.Address);
        Assert.NotEqual(0, endPoint.Port);

        var client = driver.Open(ip.AddressFamily);
        var clientToken = driver.Register(client);
        var connect = client.Connect(endPoint);
        Assert.True(connect is SocketError.Success or SocketError.WouldBlock or SocketError.InProgress, $"Connect returned {connect}");
        if (connect != SocketError.Success)
        {
            driver.Await(client, clientToken, IoReadiness.Write);
            Assert.Equal(SocketError.Success, client.FinishConnect());
        }

        driver.Await(listener, listenerToken, IoReadiness.Read);
        Assert.Equal(SocketError.Success, listener.TryAccept(out var accepted));
        var server = driver.Track(Assert.IsAssignableFrom<LoopSocket>(accepted));

        Assert.Equal(endPoint, client.RemoteEndPoint);
        Assert.Equal(client.RemoteEndPoint, server.LocalEndPoint);
        Assert.Equal(client.LocalEndPoint, server.RemoteEndPoint);
        Assert.Equal(ip, Assert.IsType<IPEndPoint>(client.LocalEndPoint).Address);
    }

    [SkippableFact]
    public void Dual_stack_listener_reports_an_IPv4_peer_as_IPv4_on_both_ends()
    {
        Skip.IfNot(Socket.OSSupportsIPv6, "this host has no IPv6, so no dual-stack listener");
        using var driver = Start();
        var listener = driver.Open(AddressFamily.InterNetworkV6);
        Assert.Equal(SocketError.Success, listener.Bind(new IPEndPoint(IPAddress.IPv6Any, 0)));
        Assert.Equal(SocketError.Success, listener.Listen(16));
        var listenerToken = driver.Register(listener);
        var port = Assert.IsType<IPEndPoint>(listener.LocalEndPoint).Port;

        var (client, _, _) = driver.Connect(new IPEndPoint(IPAddress.Loopback, port));
        var (server, _) = driver.Accept(listener, listenerToken);

        var peer = Assert.IsType<IPEndPoint>(server.RemoteEndPoint);
        Assert.Equal(AddressFamily.InterNetwork, peer.AddressFamily);
        Assert.Equal(client.LocalEndPoint, peer);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), server.LocalEndPoint);
    }

    [SkippableFact]
    public void Transfers_1_MiB_each_way_byte_exact_driven_only_by_Arm_and_Wait()
    {
        using var driver = Start();
        var connection = driver.Pair(IPAddress.Loopback);

        // Small kernel buffers force many WouldBlock -> Arm -> Wait cycles in both directions.
        foreach (var socket in new[] { connection.Client, connection.Server })
        {
            PollerDriver.Must(socket.SetOption(SocketOptionLevel.Socket, SocketOptionName.SendBuffer, 32 * 1024), "SetOption(SendBuffer)");
            PollerDriver.Must(socket.SetOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveBuffer, 32 * 1024), "SetOption(ReceiveBuffer)");
        }

        var toServer = new byte[1 << 20];
        var toClient = new byte[1 << 20];
        new Random(1).NextBytes(toServer);
        new Random(2).NextBytes(toClient);

        var (atServer, atClient) = driver.Exchange(connection, toServer, toClient);

        Assert.True(atServer.AsSpan().SequenceEqual(toServer), "the server received different bytes");
        Assert.True(atClient.AsSpan().SequenceEqual(toClient), "the client received different bytes");
    }

    [SkippableFact]
    public void Connect_to_a_closed_port_reports_ConnectionRefused()
    {
        using var driver = Start();
        int port;
        using (var probe = driver.Backend.Open(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            PollerDriver.Must(probe.Bind(new IPEndPoint(IPAddress.Loopback, 0)), "Bind");
            port = Assert.IsType<IPEndPoint>(probe.LocalEndPoint).Port;
        }

        var client = driver.Open(AddressFamily.InterNetwork);
        var token = driver.Register(client);
        var result = client.Connect(new IPEndPoint(IPAddress.Loopback, port));
        if (result is SocketError.WouldBlock or SocketError.InProgress)
        {
            driver.Await(client, token, IoReadiness.Write);
            result = client.FinishConnect();
        }

        Assert.Equal(SocketError.ConnectionRefused, result);
    }

    [SkippableFact]
    public void Peer_Abort_is_reported_as_ConnectionReset_on_Receive()
    {
        using var driver = Start();
        var c = driver.Pair(IPAddress.Loopback);
        PollerDriver.Must(c.Client.Send("hello"u8, out _), "Send");
        driver.Poller.Unregister(c.Server);
        c.Server.Abort();

        var result = driver.Receive(c.Client, c.ClientToken, new byte[64], out var received);

        Assert.Equal(SocketError.ConnectionReset, result);
        Assert.Equal(0, received);
    }

    [SkippableFact]
    public void Peer_Abort_while_Read_is_armed_is_still_reported_as_ConnectionReset()
    {
        using var driver = Start();
        var c = driver.Pair(IPAddress.Loopback);
        // Nothing to read yet: the client arms Read first (the portable backend starts its
        // zero-byte receive here, and that receive is what meets the reset).
        Assert.Equal(SocketError.WouldBlock, c.Client.Receive(new byte[64], out _));
        driver.Poller.Arm(c.Client, c.ClientToken, IoReadiness.Read);
        driver.WaitOnce(50);
        driver.Poller.Unregister(c.Server);
        c.Server.Abort();

        var result = driver.Receive(c.Client, c.ClientToken, new byte[64], out var received);

        Assert.Equal(SocketError.ConnectionReset, result);
        Assert.Equal(0, received);
    }

    [SkippableFact]
    public void Peer_Shutdown_of_Send_is_read_as_the_data_then_Success_with_0()
    {
        using var driver = Start();
        var c = driver.Pair(IPAddress.Loopback);
        PollerDriver.Must(c.Server.Send("bye"u8, out var sent), "Send");
        Assert.Equal(3, sent);
        PollerDriver.Must(c.Server.Shutdown(SocketShutdown.Send), "Shutdown(Send)");

        Assert.Equal("bye"u8.ToArray(), driver.ReceiveToEnd(c.Client, c.ClientToken));

        // The other direction stays open after a half-close.
        PollerDriver.Must(c.Client.Send("still here"u8, out _), "Send after the peer's half-close");
        var buffer = new byte[64];
        PollerDriver.Must(driver.Receive(c.Server, c.ServerToken, buffer, out var n), "Receive");
        Assert.Equal("still here"u8.ToArray(), buffer.AsSpan(0, n).ToArray());
    }

    [SkippableFact]
    public void Bind_to_a_port_with_a_listener_reports_AddressAlreadyInUse_even_with_ReuseAddress()
    {
        using var driver = Start();
        var (_, _, endPoint) = driver.Listen(IPAddress.Loopback);
        var second = driver.Open(AddressFamily.InterNetwork);
        PollerDriver.Must(second.SetOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, 1), "SetOption(ReuseAddress)");

        Assert.Equal(SocketError.AddressAlreadyInUse, second.Bind(endPoint));
    }

    [SkippableFact]
    public void ReusePortOption_lets_two_listeners_bind_one_port()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "SO_REUSEPORT load sharing between listeners is Linux behaviour (BSD semantics differ)");
        using var driver = Start();
        var first = driver.Open(AddressFamily.InterNetwork);
        var second = driver.Open(AddressFamily.InterNetwork);
        PollerDriver.Must(first.SetOption(SocketOptionLevel.Socket, LoopSocket.ReusePortOption, 1), "SetOption(ReusePort)");
        PollerDriver.Must(second.SetOption(SocketOptionLevel.Socket, LoopSocket.ReusePortOption, 1), "SetOption(ReusePort)");
        PollerDriver.Must(first.Bind(new IPEndPoint(IPAddress.Loopback, 0)), "Bind");
        PollerDriver.Must(first.Listen(16), "Listen");

        Assert.Equal(SocketError.Success, second.Bind(first.LocalEndPoint!));
        Assert.Equal(SocketError.Success, second.Listen(16));
    }

    [SkippableFact]
    public void Wake_from_another_thread_unblocks_a_Wait_without_timeout()
    {
        using var driver = Start();
        var poller = driver.Poller;
        using var waiting = new ManualResetEventSlim();
        var returned = -1;
        var waiter = new Thread(() =>
        {
            waiting.Set();
            returned = poller.Wait(new PollerEvent[8], -1);
        }) { IsBackground = true, Name = "poller-contract-waiter" };
        waiter.Start();
        Assert.True(waiting.Wait(s_prompt), "the waiter thread did not start");

        // Not needed for correctness (a Wake before the Wait must work too), only to make the
        // blocked case the likely one.
        Thread.Sleep(20);
        poller.Wake();
        var joined = waiter.Join(s_prompt);
        if (!joined)
        {
            // Free the thread before failing; never leave it blocked in the poller.
            var clock = Stopwatch.StartNew();
            while (!waiter.Join(10) && clock.Elapsed < s_prompt) poller.Wake();
        }

        Assert.True(joined, $"Wait(-1) did not return within {s_prompt.TotalSeconds} s of Wake");
        Assert.Equal(0, returned);
    }

    [SkippableFact]
    public void Wake_before_Wait_makes_the_next_Wait_return_promptly()
    {
        using var driver = Start();
        driver.Poller.Wake();

        var clock = Stopwatch.StartNew();
        var n = driver.Poller.Wait(new PollerEvent[8], 2 * (int)s_prompt.TotalMilliseconds);

        Assert.Equal(0, n);
        Assert.True(clock.Elapsed < s_prompt, $"Wait took {clock.ElapsedMilliseconds} ms after an earlier Wake");
    }

    [SkippableFact]
    public void Wait_with_zero_timeout_returns_at_once_with_nothing_ready()
    {
        using var driver = Start();
        var c = driver.Pair(IPAddress.Loopback);
        driver.WaitOnce(0);
        driver.Take(c.ClientToken, IoReadiness.ReadWrite);
        driver.Take(c.ServerToken, IoReadiness.ReadWrite);
        driver.Poller.Arm(c.Server, c.ServerToken, IoReadiness.Read);

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++) driver.WaitOnce(0);

        Assert.True(clock.Elapsed < s_prompt, $"100 zero-timeout waits took {clock.ElapsedMilliseconds} ms");
        Assert.Equal(IoReadiness.None, driver.Take(c.ServerToken, IoReadiness.Read));
    }

    [SkippableFact]
    public void Concurrent_Wakes_coalesce_and_a_later_Wait_still_times_out()
    {
        using var driver = Start();
        var poller = driver.Poller;
        var events = new PollerEvent[8];
        Parallel.For(0, 256, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ => poller.Wake());

        var clock = Stopwatch.StartNew();
        Assert.Equal(0, poller.Wait(events, 2 * (int)s_prompt.TotalMilliseconds));
        Assert.True(clock.Elapsed < s_prompt, $"the Wait after the Wakes took {clock.ElapsedMilliseconds} ms");

        // The wakes were consumed by that one Wait: the next one sleeps for its whole timeout.
        // A lower bound on a timeout, well below it, is not a speed assertion.
        clock.Restart();
        Assert.Equal(0, poller.Wait(events, 100));
        Assert.True(clock.ElapsedMilliseconds >= 50, $"Wait(100) returned after {clock.ElapsedMilliseconds} ms: a wake was left over");

        // And Wake still works after coalescing.
        poller.Wake();
        clock.Restart();
        Assert.Equal(0, poller.Wait(events, 2 * (int)s_prompt.TotalMilliseconds));
        Assert.True(clock.Elapsed < s_prompt, $"the Wait after a fresh Wake took {clock.ElapsedMilliseconds} ms");
    }

    [SkippableFact]
    public void Readiness_before_Arm_is_delivered_through_EventLoop_when_armed()
    {
        using var driver = Start();
        var (listener, listenerToken, endPoint) = driver.Listen(IPAddress.Loopback);
        var (client, _, _) = driver.Connect(endPoint);

        // Take the accepted socket without registering it with the driver: it goes to a real loop.
        var server = AcceptUnregistered(driver, listener, listenerToken);
        var listenerReady = new ReadinessRecorder();
        using var loop = new EventLoop(driver.Backend.CreatePoller(), 0, "poller-contract");
        var registration = loop.Register(server, listenerReady);

        PollerDriver.Must(client.Send("x"u8, out _), "Send");

        // Two loop turns, each with a poll, after the data arrived: an edge-triggered backend has
        // now reported the Read edge while nothing was armed.
        using var turned = new ManualResetEventSlim();
        loop.Execute(new ActionRunnable(() => loop.Execute(new ActionRunnable(turned.Set))));
        Assert.True(turned.Wait(s_prompt), "the event loop did not run its tasks");

        loop.Arm(registration, IoReadiness.Read);

        Assert.True(listenerReady.Read.Wait(s_prompt), "Read readiness was not delivered after Arm");
        var buffer = new byte[8];
        Assert.Equal(SocketError.Success, server.Receive(buffer, out var n));
        Assert.Equal("x"u8.ToArray(), buffer.AsSpan(0, n).ToArray());
    }

    [SkippableFact]
    public void Dispose_is_idempotent_and_later_calls_return_OperationAborted()
    {
        using var driver = Start();
        var c = driver.Pair(IPAddress.Loopback);
        var socket = c.Client;
        driver.Poller.Unregister(socket);

        socket.Dispose();
        socket.Dispose();
        socket.Abort();

        var buffer = new byte[8];
        Assert.Equal(SocketError.OperationAborted, socket.Send("x"u8, out var sent));
        Assert.Equal(0, sent);
        Assert.Equal(SocketError.OperationAborted, socket.Receive(buffer, out var received));
        Assert.Equal(0, received);
        Assert.Equal(SocketError.OperationAborted, socket.Shutdown(SocketShutdown.Both));
        Assert.Equal(SocketError.OperationAborted, socket.Bind(new IPEndPoint(IPAddress.Loopback, 0)));
        Assert.Equal(SocketError.OperationAborted, socket.Listen(1));
        Assert.Equal(SocketError.OperationAborted, socket.Connect(new IPEndPoint(IPAddress.Loopback, 1)));
        Assert.Equal(SocketError.OperationAborted, socket.FinishConnect());
        Assert.Equal(SocketError.OperationAborted, socket.TryAccept(out var accepted));
        Assert.Null(accepted);
        Assert.Equal(SocketError.OperationAborted, socket.SetOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay, 1));
        Assert.Equal(SocketError.OperationAborted, socket.GetOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay, out _));
        Assert.Equal(SocketError.OperationAborted, socket.SetLinger(true, 0));
        Assert.Null(socket.LocalEndPoint);
    }

    [SkippableFact]
    public void Poller_Dispose_is_idempotent_and_a_later_Wake_is_harmless()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        var poller = CreateBackend().CreatePoller();
        poller.Dispose();
        poller.Dispose();
        poller.Wake();
    }

    private static LoopSocket AcceptUnregistered(PollerDriver driver, LoopSocket listener, ulong listenerToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var result = listener.TryAccept(out var accepted);
            if (result == SocketError.Success) return Assert.IsAssignableFrom<LoopSocket>(accepted);
            Assert.Equal(SocketError.WouldBlock, result);
            Assert.True(clock.Elapsed < s_prompt, "no connection to accept");
            driver.Await(listener, listenerToken, IoReadiness.Read);
        }
    }

    private sealed class ReadinessRecorder : IReadinessListener
    {
        public ManualResetEventSlim Read { get; } = new();

        public void OnReady(IoReadiness readiness)
        {
            if ((readiness & IoReadiness.Read) != 0) Read.Set();
        }
    }
}
