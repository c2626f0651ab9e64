using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Epsilon.Actors.Io.EventLoops;
using Epsilon.Actors.Io.EventLoops.Epoll;
using Epsilon.Actors.Io.EventLoops.Portable;

namespace Epsilon.Actors.Bench.Micro;

/// <summary>
/// The system-call floor under the TCP path: a non-blocking <c>Send</c> of 64 bytes on one
/// <see cref="LoopSocket"/> of a connected loopback pair and the <c>Receive</c> of them on the
/// other, with the backend's own socket: <see cref="Epsilon.Actors.Io.EventLoops.Unix.NativeSocket"/>
/// (direct libc) for epoll, <see cref="ManagedSocket"/> (System.Net.Sockets) for portable. The
/// sockets are not registered with any loop.
/// </summary>
[BenchmarkCategory("EventLoop")]
public class LoopSocketBench
{
    private const int Size = 64;

    private readonly byte[] _out = new byte[Size];
    private readonly byte[] _in = new byte[64 * 1024];
    private LoopSocket _listener = null!;
    private LoopSocket _client = null!;
    private LoopSocket _server = null!;

    /// <summary>The backend whose sockets are used.</summary>
    [Params("epoll", "portable")]
    public string Backend { get; set; } = "epoll";

    [GlobalSetup]
    public void Setup()
    {
        IoBackend backend = Backend == "epoll" ? new EpollBackend(edgeTriggered: true) : new PortableBackend();
        _listener = backend.Open(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Check(_listener.Bind(new IPEndPoint(IPAddress.Loopback, 0)), "bind");
        Check(_listener.Listen(16), "listen");
        _client = backend.Open(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var connect = _client.Connect(_listener.LocalEndPoint!);
        if (connect is not (SocketError.Success or SocketError.WouldBlock or SocketError.InProgress)) Check(connect, "connect");

        LoopSocket? accepted = null;
        Retry(() => _listener.TryAccept(out accepted), "accept");
        _server = accepted!;
        Retry(_client.FinishConnect, "finish connect");
        Check(_client.SetOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay, 1), "TCP_NODELAY");

        if (SendReceive() != Size) throw new InvalidOperationException("the pair did not carry 64 bytes");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _server.Dispose();
        _listener.Dispose();
    }

    [Benchmark(Description = "Send 64 B + Receive on the peer")]
    public int SendReceive()
    {
        Check(_client.Send(_out, out var sent), "send");
        var total = 0;
        while (total < sent)
        {
            var error = _server.Receive(_in, out var n);
            if (error == SocketError.WouldBlock) continue;
            Check(error, "receive");
            if (n == 0) throw new InvalidOperationException("peer closed");
            total += n;
        }

        return total;
    }

    [Benchmark(Description = "Receive with nothing pending (WouldBlock)")]
    public SocketError ReceiveWouldBlock() => _server.Receive(_in, out _);

    private static void Check(SocketError error, string what)
    {
        if (error != SocketError.Success) throw new SocketException((int)error, $"{what}: {error}");
    }

    private static void Retry(Func<SocketError> call, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        SocketError error;
        while ((error = call()) is SocketError.WouldBlock or SocketError.InProgress)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(what);
            Thread.Sleep(1);
        }

        Check(error, what);
    }
}
