using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Epsilon.Actors.Io.EventLoops;
using Xunit;

namespace Epsilon.Actors.Tests.Io.EventLoops;

/// <summary>
/// A single-threaded stand-in for <see cref="EventLoop"/> in poller contract tests: it owns one
/// poller, remembers every reported direction per token until a test takes it (so an edge reported
/// before anyone armed is never lost, as LoopRegistration guarantees), and bounds every wait.
/// Disposing it closes every socket it opened or accepted, then the poller.
/// </summary>
internal sealed class PollerDriver : IDisposable
{
    /// <summary>The longest any single readiness wait may take before the test fails.</summary>
    public const int WaitLimitMilliseconds = 5_000;

    private readonly Dictionary<ulong, IoReadiness> _pending = [];
    private readonly PollerEvent[] _events = new PollerEvent[64];
    private readonly List<LoopSocket> _sockets = [];
    private ulong _nextToken;

    public PollerDriver(IoBackend backend)
    {
        Backend = backend;
        Poller = backend.CreatePoller();
    }

    public IoBackend Backend { get; }

    public IPoller Poller { get; }

    /// <summary>Opens a TCP socket of the backend; closed when the driver is disposed.</summary>
    public LoopSocket Open(AddressFamily family) =>
        Track(Backend.Open(family, SocketType.Stream, ProtocolType.Tcp));

    /// <summary>Opens a UDP socket of the backend bound to <paramref name="address"/>:0 and registers it; closed when the driver is disposed.</summary>
    public (LoopSocket Socket, ulong Token, IPEndPoint EndPoint) BindDatagram(IPAddress address)
    {
        var socket = Track(Backend.Open(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
        Must(socket.Bind(new IPEndPoint(address, 0)), "Bind");
        return (socket, Register(socket), Assert.IsType<IPEndPoint>(socket.LocalEndPoint));
    }

    /// <summary>Receives one datagram, waiting for Read readiness while none is queued.</summary>
    public SocketError ReceiveFrom(LoopSocket socket, ulong token, Span<byte> buffer, out int received, out EndPoint? remote)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var result = socket.ReceiveFrom(buffer, out received, out remote);
            if (result != SocketError.WouldBlock) return result;
            Assert.True(deadline.ElapsedMilliseconds < WaitLimitMilliseconds, "no datagram to receive");
            Await(socket, token, IoReadiness.Read);
        }
    }

    /// <summary>Adds a socket (for example an accepted one) to those closed on dispose.</summary>
    public LoopSocket Track(LoopSocket socket)
    {
        _sockets.Add(socket);
        return socket;
    }

    /// <summary>Registers with the poller under a fresh token.</summary>
    public ulong Register(LoopSocket socket)
    {
        var token = ++_nextToken;
        _pending[token] = IoReadiness.None;
        Poller.Register(socket, token);
        return token;
    }

    /// <summary>A listener bound to <paramref name="address"/>:0 with SO_REUSEADDR set, as TcpListenerActor does.</summary>
    public (LoopSocket Socket, ulong Token, IPEndPoint EndPoint) Listen(IPAddress address)
    {
        var listener = Open(address.AddressFamily);
        Must(listener.SetOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, 1), "SetOption(ReuseAddress)");
        Must(listener.Bind(new IPEndPoint(address, 0)), "Bind");
        Must(listener.Listen(16), "Listen");
        var token = Register(listener);
        return (listener, token, Assert.IsType<IPEndPoint>(listener.LocalEndPoint));
    }

    /// <summary>Connects a new client to <paramref name="remote"/>, driven by Write readiness; returns the client and what Connect returned.</summary>
    public (LoopSocket Client, ulong Token, SocketError ConnectResult) Connect(IPEndPoint remote, AddressFamily? family = null)
    {
        var client = Open(family ?? remote.AddressFamily);
        var token = Register(client);
        var result = client.Connect(remote);
        Assert.True(result is SocketError.Success or SocketError.WouldBlock or SocketError.InProgress, $"Connect returned {result}");
        if (result != SocketError.Success)
        {
            Await(client, token, IoReadiness.Write);
            Must(client.FinishConnect(), "FinishConnect");
        }

        return (client, token, result);
    }

    /// <summary>Accepts one connection, waiting for the listener's Read readiness when none is pending; registers it.</summary>
    public (LoopSocket Server, ulong Token) Accept(LoopSocket listener, ulong listenerToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var result = listener.TryAccept(out var accepted);
            if (result == SocketError.Success)
            {
                var server = Track(Assert.IsAssignableFrom<LoopSocket>(accepted));
                return (server, Register(server));
            }

            Assert.Equal(SocketError.WouldBlock, result);
            Assert.True(deadline.ElapsedMilliseconds < WaitLimitMilliseconds, "no connection to accept");
            Await(listener, listenerToken, IoReadiness.Read);
        }
    }

    /// <summary>A connected pair over a fresh listener on <paramref name="address"/>.</summary>
    public Connection Pair(IPAddress address)
    {
        var (listener, listenerToken, endPoint) = Listen(address);
        var (client, clientToken, _) = Connect(endPoint);
        var (server, serverToken) = Accept(listener, listenerToken);
        return new Connection(client, clientToken, server, serverToken);
    }

    /// <summary>Takes (and forgets) the remembered readiness of <paramref name="token"/> in <paramref name="directions"/>.</summary>
    public IoReadiness Take(ulong token, IoReadiness directions)
    {
        var have = _pending.GetValueOrDefault(token);
        _pending[token] = have & ~directions;
        return have & directions;
    }

    /// <summary>One poller wait; every reported direction is remembered. Returns the number of events.</summary>
    public int WaitOnce(int timeoutMilliseconds)
    {
        var n = Poller.Wait(_events, timeoutMilliseconds);
        for (var i = 0; i < n; i++)
        {
            var e = _events[i];
            _pending[e.Token] = _pending.GetValueOrDefault(e.Token) | e.Readiness;
        }

        return n;
    }

    /// <summary>Returns once <paramref name="direction"/> is ready (remembered, or reported after arming); fails the test after <see cref="WaitLimitMilliseconds"/>.</summary>
    public void Await(LoopSocket socket, ulong token, IoReadiness direction)
    {
        if (Take(token, direction) != IoReadiness.None) return;
        Poller.Arm(socket, token, direction);
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < WaitLimitMilliseconds)
        {
            WaitOnce((int)Math.Max(1, WaitLimitMilliseconds - clock.ElapsedMilliseconds));
            if (Take(token, direction) != IoReadiness.None) return;
        }

        Assert.Fail($"no {direction} readiness for token {token} within {WaitLimitMilliseconds} ms");
    }

    /// <summary>Receives once, waiting for Read readiness while the socket would block.</summary>
    public SocketError Receive(LoopSocket socket, ulong token, Span<byte> buffer, out int received)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var result = socket.Receive(buffer, out received);
            if (result != SocketError.WouldBlock) return result;
            Assert.True(deadline.ElapsedMilliseconds < WaitLimitMilliseconds, "nothing to receive");
            Await(socket, token, IoReadiness.Read);
        }
    }

    /// <summary>Everything the peer sends until it closes its sending side (Receive Success with 0).</summary>
    public byte[] ReceiveToEnd(LoopSocket socket, ulong token)
    {
        var all = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            Must(Receive(socket, token, buffer, out var n), "Receive");
            if (n == 0) return [.. all];
            all.AddRange(buffer.AsSpan(0, n));
        }
    }

    /// <summary>
    /// Sends <paramref name="toServer"/> from the client and <paramref name="toClient"/> from the
    /// server at the same time, touching a socket only before its first WouldBlock or after the
    /// poller reported it ready. Returns what each side received.
    /// </summary>
    public (byte[] AtServer, byte[] AtClient) Exchange(Connection connection, byte[] toServer, byte[] toClient)
    {
        var sides = new[]
        {
            new Side(connection.Client, connection.ClientToken, toServer, new byte[toClient.Length]),
            new Side(connection.Server, connection.ServerToken, toClient, new byte[toServer.Length]),
        };
        var chunk = new byte[16 * 1024];
        var clock = Stopwatch.StartNew();
        while (sides.Any(s => !s.Done))
        {
            Assert.True(clock.ElapsedMilliseconds < 3 * WaitLimitMilliseconds,
                $"exchange stuck: client sent {sides[0].Sent}/received {sides[0].Received}, server sent {sides[1].Sent}/received {sides[1].Received}");
            foreach (var side in sides) Step(side, chunk);
            if (sides.All(s => s.Done)) break;

            // Every side is blocked: use what was already reported, or wait for the poller.
            if (!TakeReadiness(sides))
            {
                WaitOnce(WaitLimitMilliseconds);
                TakeReadiness(sides);
            }
        }

        return (sides[1].In, sides[0].In);
    }

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            Poller.Unregister(socket);
            socket.Dispose();
        }

        Poller.Dispose();
    }

    internal static void Must(SocketError result, string what) =>
        Assert.True(result == SocketError.Success, $"{what} returned {result}");

    private void Step(Side side, byte[] chunk)
    {
        while (side.CanWrite && side.Sent < side.Out.Length)
        {
            var result = side.Socket.Send(side.Out.AsSpan(side.Sent, Math.Min(64 * 1024, side.Out.Length - side.Sent)), out var n);
            if (result == SocketError.WouldBlock)
            {
                side.CanWrite = false;
                Poller.Arm(side.Socket, side.Token, IoReadiness.Write);
            }
            else
            {
                Must(result, "Send");
                side.Sent += n;
            }
        }

        while (side.CanRead && side.Received < side.In.Length)
        {
            var result = side.Socket.Receive(chunk, out var n);
            if (result == SocketError.WouldBlock)
            {
                side.CanRead = false;
                Poller.Arm(side.Socket, side.Token, IoReadiness.Read);
            }
            else
            {
                Must(result, "Receive");
                Assert.True(n > 0, $"end of stream after {side.Received} of {side.In.Length} bytes");
                Assert.True(side.Received + n <= side.In.Length, "received more than was sent");
                chunk.AsSpan(0, n).CopyTo(side.In.AsSpan(side.Received));
                side.Received += n;
            }
        }
    }

    private bool TakeReadiness(Side[] sides)
    {
        var progressed = false;
        foreach (var side in sides)
        {
            var ready = Take(side.Token, IoReadiness.ReadWrite);
            side.CanRead |= (ready & IoReadiness.Read) != 0;
            side.CanWrite |= (ready & IoReadiness.Write) != 0;
            progressed |= ready != IoReadiness.None;
        }

        return progressed;
    }

    /// <summary>Both ends of one loopback connection, registered with the driver's poller.</summary>
    public sealed record Connection(LoopSocket Client, ulong ClientToken, LoopSocket Server, ulong ServerToken);

    private sealed class Side(LoopSocket socket, ulong token, byte[] output, byte[] input)
    {
        public LoopSocket Socket { get; } = socket;

        public ulong Token { get; } = token;

        public byte[] Out { get; } = output;

        public byte[] In { get; } = input;

        public int Sent { get; set; }

        public int Received { get; set; }

        public bool CanRead { get; set; } = true;

        public bool CanWrite { get; set; } = true;

        public bool Done => Sent == Out.Length && Received == In.Length;
    }
}
