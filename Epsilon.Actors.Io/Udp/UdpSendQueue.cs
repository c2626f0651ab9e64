using System.Net.Sockets;

namespace Epsilon.Actors.Io.Udp;

/// <summary>
/// Pure: the datagrams of one UDP socket that wait for room in the kernel's send buffer, in order,
/// bounded by a count. No actors, sockets or clocks: the shell hands it a sink that makes the
/// system call, and the sink hears each datagram's outcome.
/// </summary>
/// <remarks>
/// Rules: while anything waits, a new datagram waits behind it (order is kept); a datagram past
/// the limit is refused (the shell answers <c>CommandFailed</c>); <see cref="Flush"/> sends from
/// the head until the sink reports <see cref="SocketError.WouldBlock"/> (the head stays, to be
/// retried on writability) or the queue is empty. Any other error fails that datagram alone and
/// the flush goes on, so one bad datagram never blocks the ones behind it. Not thread-safe.
/// </remarks>
/// <typeparam name="T">The shell's datagram record.</typeparam>
internal sealed class UdpSendQueue<T>
{
    private readonly Queue<T> _waiting = new();

    /// <summary>Creates a queue that holds at most <paramref name="limit"/> datagrams.</summary>
    /// <exception cref="ArgumentOutOfRangeException">when <paramref name="limit"/> is below 1.</exception>
    public UdpSendQueue(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
    }

    /// <summary>The most datagrams held.</summary>
    public int Limit { get; }

    /// <summary>Datagrams waiting.</summary>
    public int Count => _waiting.Count;

    /// <summary>True when nothing waits, so a new datagram may be sent at once.</summary>
    public bool IsEmpty => _waiting.Count == 0;

    /// <summary>Adds a datagram behind the waiting ones; false (nothing added) when the queue is full.</summary>
    public bool TryEnqueue(T datagram)
    {
        if (_waiting.Count >= Limit) return false;
        _waiting.Enqueue(datagram);
        return true;
    }

    /// <summary>
    /// Sends waiting datagrams in order. Returns true when the queue is empty, false when the
    /// sink reported <see cref="SocketError.WouldBlock"/> (the head is kept for the next flush).
    /// </summary>
    public bool Flush<TSink>(ref TSink sink)
        where TSink : struct, IUdpSendSink<T>
    {
        while (_waiting.TryPeek(out var head))
        {
            var error = sink.Send(head);
            if (error == SocketError.WouldBlock) return false;
            _waiting.Dequeue();
            sink.Completed(head, error);
        }

        return true;
    }

    /// <summary>Empties the queue, telling the sink that each waiting datagram failed with <paramref name="error"/>.</summary>
    public void FailAll<TSink>(ref TSink sink, SocketError error)
        where TSink : struct, IUdpSendSink<T>
    {
        while (_waiting.TryDequeue(out var datagram)) sink.Completed(datagram, error);
    }
}
