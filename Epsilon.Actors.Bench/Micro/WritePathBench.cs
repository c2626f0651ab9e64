using System.Net.Sockets;
using BenchmarkDotNet.Attributes;

namespace Epsilon.Actors.Bench.Micro;

/// <summary>
/// <c>Tcp.Write</c> from a handler actor through the connection actor into the kernel: the handler
/// sends 256 writes of 64 bytes (one shared, immutable <c>Tcp.Write</c>; the last one asks for an
/// ack) and the benchmark waits for the ack, which the connection sends when the last byte is in
/// the kernel. A plain socket on a dedicated thread drains the peer side all the while.
/// </summary>
/// <remarks>
/// Per write this covers the handler's <c>Tell</c>, the loop dispatcher running the connection's
/// mailbox, <c>TcpWriteQueue</c> and one <c>send</c> per write (the queue holds one write at a
/// time while the kernel takes everything). The burst request and the ack are 1/256 of each
/// figure.
/// </remarks>
[BenchmarkCategory("Tcp")]
public class WritePathBench
{
    private const int Burst = 256;

    private readonly LoopbackConnection.WriteBurst _burst = new(Burst);
    private LoopbackConnection _connection = null!;
    private Thread _drain = null!;
    private long _drained;
    private long _acks;
    private long _ackedAtStart;

    /// <summary>The event-loop backend of the Epsilon side (portable for comparison).</summary>
    [Params("epoll", "portable")]
    public string Backend { get; set; } = "epoll";

    [GlobalSetup]
    public void Setup()
    {
        _connection = LoopbackConnection.Open(Backend);
        _drain = new Thread(Drain) { IsBackground = true, Name = "bench-drain" };
        _drain.Start();
        _acks = Volatile.Read(ref _connection.Counters.Acks);
        _ackedAtStart = _acks;

        // One burst must arrive whole at the peer before anything is timed.
        WriteBurst256();
        BenchWait.Until(ref _drained, Burst * LoopbackConnection.MessageSize);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var bursts = _acks - _ackedAtStart;
        var expected = bursts * Burst * LoopbackConnection.MessageSize;

        // Every acknowledged byte must reach the peer: proof that the acks meant "in the kernel".
        BenchWait.Until(ref _drained, expected);
        _connection.Dispose();
        _drain.Join(TimeSpan.FromSeconds(5));
        MicroBenchmarks.Note(FormattableString.Invariant(
            $"{nameof(WritePathBench)} ({Backend}): {bursts} bursts acked, peer drained {Volatile.Read(ref _drained)} of {expected} bytes, failures {_connection.Counters.Failures}"));
    }

    [Benchmark(OperationsPerInvoke = Burst, Description = "handler Tcp.Write 64 B → kernel (per write)")]
    public void WriteBurst256()
    {
        _connection.Handler.Tell(_burst, Akka.Actor.ActorRefs.NoSender);
        _acks++;
        _connection.Counters.WaitForAcks(_acks);
    }

    private void Drain()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = _connection.Peer.Receive(buffer, SocketFlags.None);
                if (n == 0) return;
                Interlocked.Add(ref _drained, n);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The peer socket was closed at cleanup.
        }
    }
}
