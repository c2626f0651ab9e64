using BenchmarkDotNet.Attributes;

namespace Epsilon.Actors.Bench.Micro;

/// <summary>
/// Readiness → <c>Tcp.Received</c>: a plain socket sends 64-byte messages to an Epsilon
/// connection (one event loop) whose handler actor counts the bytes it receives.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="OneMessagePerRead"/> sends one message and waits for it to reach the handler, so
/// every message is exactly one readiness event, one read and one <c>Received</c>: its time is
/// the latency of the whole path (peer <c>send</c>, kernel loopback, <c>epoll_wait</c>, the
/// connection actor's read on the loop thread, the hop to the handler's dispatcher) and its
/// allocations are the per-read cost.
/// </para>
/// <para>
/// <see cref="Stream256"/> makes 256 sends of one message each, back to back, and waits for all
/// 16 KiB: the throughput figure per message (the peer's 256 <c>send</c> calls included). The kernel coalesces, so several messages share a read;
/// the reads per message are printed at cleanup.
/// </para>
/// </remarks>
[BenchmarkCategory("Tcp")]
public class ReceivedDeliveryBench
{
    private const int StreamCount = 256;

    private LoopbackConnection _connection = null!;
    private readonly byte[] _message = new byte[LoopbackConnection.MessageSize];
    private long _expectedBytes;
    private long _readsAtStart;
    private long _bytesAtStart;
    private string _method = "";

    /// <summary>The event-loop backend of the Epsilon side (portable for comparison).</summary>
    [Params("epoll", "portable")]
    public string Backend { get; set; } = "epoll";

    [GlobalSetup]
    public void Setup()
    {
        _connection = LoopbackConnection.Open(Backend);
        _expectedBytes = Volatile.Read(ref _connection.Counters.Bytes);
        _readsAtStart = _connection.Counters.Reads;
        _bytesAtStart = _expectedBytes;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var counters = _connection.Counters;
        var messages = (Volatile.Read(ref counters.Bytes) - _bytesAtStart) / LoopbackConnection.MessageSize;
        var reads = counters.Reads - _readsAtStart;
        MicroBenchmarks.Note(FormattableString.Invariant(
            $"{nameof(ReceivedDeliveryBench)} ({Backend}, {_method}): {messages} messages in {reads} Received ({(messages == 0 ? 0 : (double)reads / messages):F3} reads/message), failures {counters.Failures}"));
        _connection.Dispose();
    }

    [Benchmark(Description = "send 64 B → Received at handler (1 per read)")]
    public void OneMessagePerRead()
    {
        _method = nameof(OneMessagePerRead);
        _connection.SendFromPeer(_message);
        _expectedBytes += _message.Length;
        _connection.Counters.WaitForBytes(_expectedBytes);
    }

    [Benchmark(OperationsPerInvoke = StreamCount, Description = "256 sends of 64 B → Received (per message)")]
    public void Stream256()
    {
        _method = nameof(Stream256);
        for (var i = 0; i < StreamCount; i++) _connection.SendFromPeer(_message);
        _expectedBytes += StreamCount * LoopbackConnection.MessageSize;
        _connection.Counters.WaitForBytes(_expectedBytes);
    }
}
