using System.Net;
using System.Net.Sockets;
using Epsilon.Actors.Io.EventLoops;
using Epsilon.Actors.Io.EventLoops.Epoll;

namespace Epsilon.Actors.Bench.Load;

/// <summary>
/// The load generator's sockets: raw non-blocking sockets on one edge-triggered epoll instance,
/// all driven from one thread (Epsilon's own libc-level <see cref="EpollPoller"/> and
/// <c>NativeSocket</c>, no actors). Connections can come from several 127.0.0.x source addresses.
/// </summary>
internal sealed class LoadClient : IDisposable
{
    private readonly EpollBackend _backend = new(edgeTriggered: true);
    private readonly IPoller _poller;
    private readonly PollerEvent[] _events = new PollerEvent[1024];

    public LoadClient() => _poller = _backend.CreatePoller();

    public List<LoopSocket> Sockets { get; } = [];

    /// <summary>
    /// Opens <paramref name="count"/> connections, at most <paramref name="maxInFlight"/> handshakes
    /// at a time (<see cref="int.MaxValue"/>: all at once, a connection storm); returns when all are connected.
    /// </summary>
    public void Connect(IPEndPoint server, int count, int sourceAddresses, TimeSpan timeout, int maxInFlight = 512)
    {
        var pending = new HashSet<int>();
        var deadline = DateTime.UtcNow + timeout;
        for (var i = 0; i < count; i++)
        {
            var socket = _backend.Open(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.SetOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay, 1);
            if (sourceAddresses > 1)
                Check(socket.Bind(new IPEndPoint(new IPAddress([127, 0, 0, (byte)(2 + (i % sourceAddresses))]), 0)), "bind");
            Sockets.Add(socket);
            _poller.Register(socket, (ulong)i);
            var error = socket.Connect(server);
            if (error is SocketError.WouldBlock or SocketError.InProgress) pending.Add(i);
            else Check(error, "connect");

            // Keep the number of handshakes in flight bounded so the listener's backlog never overflows.
            if (pending.Count >= maxInFlight) Drain(pending, deadline);
        }

        while (pending.Count > 0) Drain(pending, deadline);
    }

    private void Drain(HashSet<int> pending, DateTime deadline)
    {
        if (DateTime.UtcNow > deadline) throw new TimeoutException($"{pending.Count} connections still pending");
        var n = _poller.Wait(_events, 100);
        for (var e = 0; e < n; e++)
        {
            var i = (int)_events[e].Token;
            if ((_events[e].Readiness & IoReadiness.Write) == 0 || !pending.Contains(i)) continue;
            var result = Sockets[i].FinishConnect();
            if (result == SocketError.WouldBlock) continue;
            Check(result, "finish connect");
            pending.Remove(i);
        }
    }

    /// <summary>Waits for readiness (edge-triggered: every socket must be read until it would block).</summary>
    public ReadOnlySpan<PollerEvent> Wait(int timeoutMs)
    {
        var n = _poller.Wait(_events, timeoutMs);
        return _events.AsSpan(0, n);
    }

    public void Dispose()
    {
        foreach (var s in Sockets) s.Dispose();
        _poller.Dispose();
    }

    public static void Check(SocketError error, string what)
    {
        if (error != SocketError.Success) throw new SocketException((int)error, $"{what}: {error}");
    }
}
