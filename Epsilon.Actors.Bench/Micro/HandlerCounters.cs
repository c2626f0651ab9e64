namespace Epsilon.Actors.Bench.Micro;

/// <summary>
/// Counters written by the handler actor (one writer at a time, as actors guarantee) and read by
/// the benchmark thread.
/// </summary>
internal sealed class HandlerCounters
{
    /// <summary>Bytes received in <c>Tcp.Received</c>.</summary>
    public long Bytes;

    /// <summary>Acks of write bursts.</summary>
    public long Acks;

    /// <summary><c>Tcp.Received</c> messages (reads).</summary>
    public long Reads;

    /// <summary><c>CommandFailed</c> replies (should stay 0).</summary>
    public long Failures;

    /// <summary>Waits until at least <paramref name="total"/> bytes have been received in all.</summary>
    public void WaitForBytes(long total) => BenchWait.Until(ref Bytes, total);

    /// <summary>Waits until at least <paramref name="total"/> bursts have been acknowledged.</summary>
    public void WaitForAcks(long total) => BenchWait.Until(ref Acks, total);
}
